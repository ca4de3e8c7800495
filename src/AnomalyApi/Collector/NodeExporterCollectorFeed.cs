using AnomalyApi.Core.Telemetry;

namespace AnomalyApi.Collector;

/// <summary>Collector:Source=node_exporter: scrapes its /metrics and builds the features with Core's feature code.</summary>
internal sealed class NodeExporterCollectorFeed(HttpClient http, string url, IReadOnlyList<string> features) : ICollectorFeed
{
    private readonly NodeExporterFeed _feed = new(http, new Uri(url), features);

    public IReadOnlyList<string> Features => _feed.Features;

    public async Task<FeedReading> ReadAsync(CancellationToken stoppingToken)
    {
        NodeFeatureVector? vector;
        try
        {
            vector = await _feed.NextAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (PrometheusFormatException ex)
        {
            return FeedReading.Failed(CollectorProblemKind.Malformed,
                $"node_exporter at {url} answered something that is not the Prometheus text format: {ex.Message}");
        }
        catch (Exception ex)
        {
            // HttpRequestException, Polly's TimeoutRejectedException, BrokenCircuitException, ...: all "did not answer".
            return FeedReading.Failed(CollectorProblemKind.Unreachable, $"node_exporter at {url} did not answer: {ex.Message}");
        }

        if (vector is null)
        {
            return FeedReading.Primed;
        }
        return vector.Result.IsComplete
            ? FeedReading.Of(vector)
            : FeedReading.Failed(CollectorProblemKind.MissingFeatures, TelemetryCollector.DescribeMissing(vector.Result.Missing, _feed.CpusSeen));
    }
}
