using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AnomalyApi.Contracts;
using AnomalyApi.Core.Scoring;
using AnomalyApi.Core.Telemetry;
using AnomalyApi.Model;
using AnomalyApi.Observability;
using AnomalyApi.Scoring;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Collector;

/// <summary>
/// Scores this machine's live telemetry every Collector:IntervalSeconds: scrapes node_exporter, builds the model's
/// features, scores them with the shared scorer and records the same gauges as /predict with source="collector".
/// Nothing it meets (exporter down, slow or malformed, a model for another machine) stops it or the service: the
/// problem is recorded for /health/ready and /collector/recent, logged once when it starts, and the next tick retries.
/// Registered always; with Collector:Enabled=false (the default) it ends at once.
/// </summary>
public sealed partial class TelemetryCollector(
    IOptions<CollectorOptions> options,
    IOptions<ScoringOptions> scoringOptions,
    ModelProvider model,
    AnomalyLabeler labeler,
    CollectorState state,
    IHttpClientFactory httpClientFactory,
    TimeProvider time,
    ILogger<TelemetryCollector> logger) : BackgroundService
{
    public const string HttpClientName = "collector";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }
        var scorer = model.Scorer;  // RunAnomalyApiAsync loads the model before hosted services start
        var url = new Uri(settings.Url);
        var feed = new NodeExporterFeed(httpClientFactory.CreateClient(HttpClientName), url, scorer.Config.Features);
        var metrics = new ScoringMetrics(scorer.Config.ModelName, scorer.Config.Features, AnomalyMetrics.CollectorSource);
        Log.CollectorStarted(logger, settings.Source, settings.Url, settings.IntervalSeconds);

        using var timer = new PeriodicTimer(settings.Interval, time);
        do
        {
            await TickAsync(feed, metrics, settings, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task TickAsync(NodeExporterFeed feed, ScoringMetrics metrics, CollectorOptions settings, CancellationToken stoppingToken)
    {
        NodeFeatureVector? vector;
        try
        {
            vector = await feed.NextAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (PrometheusFormatException ex)
        {
            Problem(CollectorProblemKind.Malformed,
                $"node_exporter at {settings.Url} answered something that is not the Prometheus text format: {ex.Message}");
            return;
        }
        catch (Exception ex)
        {
            // HttpRequestException, Polly's TimeoutRejectedException, BrokenCircuitException, ...: all "did not answer".
            Problem(CollectorProblemKind.Unreachable, $"node_exporter at {settings.Url} did not answer: {ex.Message}");
            return;
        }

        if (vector is null)
        {
            Recovered(state.RecordScrapeOk(), settings.Url);
            return;
        }
        if (!vector.Result.IsComplete)
        {
            Problem(CollectorProblemKind.MissingFeatures, DescribeMissing(vector.Result.Missing, feed.CpusSeen));
            return;
        }

        var values = vector.Result.Values;
        LabelledBatch batch;
        try
        {
            batch = PredictionService.Score(model.Scorer, labeler, metrics, values);
        }
        catch (Exception ex)
        {
            // An exception out of ExecuteAsync would stop the whole host; a scoring failure must only stop this tick.
            Problem(CollectorProblemKind.ScoringFailed, $"the model could not score the latest vector: {ex.Message}");
            return;
        }
        if (PredictionService.FirstNonFiniteRow(batch) is not null)
        {
            Problem(CollectorProblemKind.ScoringFailed, "the model's score of the latest vector is not a finite number (values far outside the training range?)");
            return;
        }

        var features = model.Scorer.Config.Features;
        var named = new Dictionary<string, float>(features.Count, StringComparer.Ordinal);
        for (var i = 0; i < features.Count; i++)
        {
            named[features[i]] = values[i];
        }
        var top = batch.Scores.TopFeatures(0, scoringOptions.Value.TopFeatures).Select(static f => new TopFeature(f.Name, f.Error)).ToArray();
        var result = new CollectorResult(vector.At, batch.Scores.Rmse[0], batch.IsAnomaly[0], batch.Scores.Threshold, batch.AdaptiveThreshold[0], top, named);
        Recovered(state.RecordResult(result), settings.Url);

        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.CollectorVector(logger, vector.At, string.Join(", ", named.Select(static f => $"{f.Key}={f.Value.ToString("R", CultureInfo.InvariantCulture)}")));
        }
        if (result.IsAnomaly)
        {
            Log.CollectorAnomaly(logger, result.Rmse, result.Threshold, string.Join(", ", top.Select(static f => f.Name)));
        }
    }

    private void Problem(CollectorProblemKind kind, string problem)
    {
        var now = time.GetUtcNow();
        if (state.RecordProblem(kind, problem, now))
        {
            Log.CollectorProblem(logger, problem);
        }
    }

    private void Recovered(DateTimeOffset? problemSince, string url)
    {
        if (problemSince is { } since)
        {
            Log.CollectorRecovered(logger, url, (time.GetUtcNow() - since).TotalSeconds);
        }
    }

    /// <summary>
    /// "the model wants cpu_3_* but this machine exports CPUs 0-1: cpu_3_idle: … (and 7 more)" when whole CPUs are
    /// missing (one example is enough: the other modes say the same), else every missing feature.
    /// </summary>
    public static string DescribeMissing(IReadOnlyList<MissingFeature> missing, IReadOnlyList<int> machineCpus)
    {
        var cpus = missing
            .Select(static m => CpuFeature().Match(m.Feature))
            .Where(static m => m.Success)
            .Select(static m => int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture))
            .Where(cpu => !machineCpus.Contains(cpu))
            .Distinct()
            .Order()
            .ToArray();
        if (cpus.Length == 0)
        {
            return $"this machine does not export {missing.Count} of the model's features: {string.Join("; ", missing)}";
        }
        var more = missing.Count > 1 ? $" (and {missing.Count - 1} more)" : "";
        return $"the model wants {string.Join(", ", cpus.Select(static c => $"cpu_{c}_*"))} but this machine exports CPUs {DescribeCpus(machineCpus)}: {missing[0]}{more}";
    }

    private static string DescribeCpus(IReadOnlyList<int> cpus)
    {
        if (cpus.Count == 0)
        {
            return "none";
        }
        var sorted = cpus.Order().ToArray();
        return sorted[^1] - sorted[0] == sorted.Length - 1 && sorted.Length > 1
            ? $"{sorted[0]}-{sorted[^1]}"
            : string.Join(",", sorted);
    }

    [GeneratedRegex(@"^cpu_(\d+)_")]
    private static partial Regex CpuFeature();
}
