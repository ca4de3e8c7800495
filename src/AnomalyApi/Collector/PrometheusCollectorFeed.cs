using System.Globalization;
using AnomalyApi.Core.Telemetry;

namespace AnomalyApi.Collector;

/// <summary>
/// Collector:Source=prometheus: evaluates the mapping file's expressions through Prometheus's /api/v1/query.
/// All the queries of one tick, retries included, end within the collector's total timeout.
/// </summary>
internal sealed class PrometheusCollectorFeed(HttpClient http, string url, PrometheusMapping mapping, IReadOnlyList<string> features, TimeSpan timeout)
    : ICollectorFeed
{
    /// <summary>Missing features named in a problem; the rest are counted.</summary>
    private const int ShownMissing = 3;

    private readonly PrometheusQueryFeed _feed = new(http, new Uri(url), mapping, features);

    public IReadOnlyList<string> Features => _feed.Features;

    public async Task<FeedReading> ReadAsync(CancellationToken stoppingToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        deadline.CancelAfter(timeout);
        NodeFeatureVector vector;
        try
        {
            vector = await _feed.NextAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return FeedReading.Failed(CollectorProblemKind.Unreachable,
                $"Prometheus at {url} did not answer the {Features.Count} queries within {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s");
        }
        catch (PrometheusApiException ex)
        {
            return FeedReading.Failed(CollectorProblemKind.Malformed, $"Prometheus at {url} answered something that is not its HTTP API: {ex.Message}");
        }
        catch (Exception ex)
        {
            // HttpRequestException, Polly's TimeoutRejectedException, BrokenCircuitException, ...: all "did not answer".
            return FeedReading.Failed(CollectorProblemKind.Unreachable, $"Prometheus at {url} did not answer: {ex.Message}");
        }

        return vector.Result.IsComplete
            ? FeedReading.Of(vector)
            : FeedReading.Failed(CollectorProblemKind.MissingFeatures, DescribeMissing(vector.Result.Missing));
    }

    /// <summary>"Prometheus at URL gave no value for 2 of the model's features: cpu_3_idle: `...` returned no samples; ..."</summary>
    private string DescribeMissing(IReadOnlyList<MissingFeature> missing)
    {
        var more = missing.Count > ShownMissing ? $" (and {missing.Count - ShownMissing} more)" : "";
        return $"Prometheus at {url} gave no value for {missing.Count} of the model's features: {string.Join("; ", missing.Take(ShownMissing))}{more}";
    }
}
