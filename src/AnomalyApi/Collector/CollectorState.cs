using Microsoft.Extensions.Options;

namespace AnomalyApi.Collector;

/// <summary>
/// What the collector has seen, shared between its loop, GET /collector/recent and the health check: the last
/// RecentCount results (a ring) and the current problem, if any. Every access takes one small lock.
/// </summary>
public sealed class CollectorState(IOptions<CollectorOptions> options)
{
    public const string Waiting = "waiting for the first two scrapes";

    private readonly Lock _lock = new();
    private readonly Queue<CollectorResult> _recent = new();
    private CollectorProblemKind? _problemKind;

    public DateTimeOffset? LastSuccessAt { get; private set; }

    public string? Problem { get; private set; }

    public DateTimeOffset? ProblemSince { get; private set; }

    /// <summary>Keeps a scored vector and clears any problem.</summary>
    /// <returns>When the cleared problem had started, or null if there was none.</returns>
    public DateTimeOffset? RecordResult(CollectorResult result)
    {
        var capacity = options.Value.RecentCount;
        lock (_lock)
        {
            var since = ProblemSince;
            _recent.Enqueue(result);
            while (_recent.Count > capacity)
            {
                _recent.Dequeue();
            }
            LastSuccessAt = result.At;
            ClearProblem();
            return since;
        }
    }

    /// <summary>
    /// Records a problem; true when it is a new kind of problem (a transition worth one log line), false while
    /// the same kind persists (the description is refreshed, its start time kept).
    /// </summary>
    public bool RecordProblem(CollectorProblemKind kind, string problem, DateTimeOffset now)
    {
        lock (_lock)
        {
            var isNew = _problemKind != kind;
            _problemKind = kind;
            Problem = problem;
            if (isNew)
            {
                ProblemSince = now;
            }
            return isNew;
        }
    }

    /// <summary>Clears the problem after a good scrape that yields no vector yet (the first one).</summary>
    /// <returns>When the cleared problem had started, or null if there was none.</returns>
    public DateTimeOffset? RecordScrapeOk()
    {
        lock (_lock)
        {
            var since = ProblemSince;
            ClearProblem();
            return since;
        }
    }

    public (DateTimeOffset? LastSuccessAt, string? Problem, DateTimeOffset? ProblemSince, CollectorResult[] NewestFirst) Snapshot()
    {
        lock (_lock)
        {
            var results = _recent.ToArray();
            Array.Reverse(results);
            return (LastSuccessAt, Problem, ProblemSince, results);
        }
    }

    private void ClearProblem()
    {
        _problemKind = null;
        Problem = null;
        ProblemSince = null;
    }
}

public enum CollectorProblemKind
{
    /// <summary>The source (node_exporter or Prometheus) did not answer, answered an error, or too slowly.</summary>
    Unreachable,

    /// <summary>The answer is not what the source speaks (the text format, or Prometheus's HTTP API).</summary>
    Malformed,

    /// <summary>The source does not give some of the model's features.</summary>
    MissingFeatures,

    /// <summary>The collector's own configuration cannot be used now, e.g. the Prometheus mapping file.</summary>
    Misconfigured,

    /// <summary>The scorer failed, or gave a score that is not a finite number.</summary>
    ScoringFailed,
}
