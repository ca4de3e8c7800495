using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Scoring;

/// <summary>
/// How many /predict/batch and /predict/csv requests run at once (Scoring:MaxConcurrentBatches), the others waiting
/// in line, oldest first, before their bodies are read (up to Scoring:BatchQueueLimit; beyond it, a 503). A
/// 4096-row request holds about 5 MB while it runs (its body, the parsed rows, the scores and the response being
/// written), so memory grows with how many run together: 16 clients sending the largest batches pushed RSS to
/// 347 MB with no bound, and under a 96 MB GC heap limit (a small container) the service ran out of memory and
/// exited. Two cores are kept busy by a few such requests, so the others lose nothing by waiting their turn.
/// </summary>
public sealed class BatchAdmission : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;

    public BatchAdmission(IOptions<ScoringOptions> options)
    {
        var settings = options.Value;
        PermitLimit = settings.MaxConcurrentBatches > 0 ? settings.MaxConcurrentBatches : 2 * Environment.ProcessorCount;
        QueueLimit = settings.BatchQueueLimit;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = PermitLimit,
            QueueLimit = QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>The endpoint metadata that sends a request through the line (see <see cref="BatchAdmissionMiddleware"/>).</summary>
    public static object Metadata { get; } = new BatchAdmissionMetadata();

    /// <summary>Batch requests that run at once.</summary>
    public int PermitLimit { get; }

    /// <summary>Batch requests that may wait for a turn.</summary>
    public int QueueLimit { get; }

    /// <summary>Turns free now and requests waiting for one.</summary>
    public RateLimiterStatistics? Statistics => _limiter.GetStatistics();

    /// <summary>A turn: acquired when the lease says so, released when it is disposed.</summary>
    public ValueTask<RateLimitLease> WaitForTurnAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    public void Dispose() => _limiter.Dispose();
}

/// <summary>Marks the endpoints whose requests take a turn from <see cref="BatchAdmission"/>.</summary>
internal sealed class BatchAdmissionMetadata;
