using System.Globalization;
using System.Text.RegularExpressions;
using AnomalyApi.Contracts;
using AnomalyApi.Core.Scoring;
using AnomalyApi.Core.Telemetry;
using AnomalyApi.Hosting;
using AnomalyApi.Model;
using AnomalyApi.Observability;
using AnomalyApi.Scoring;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Collector;

/// <summary>
/// Scores this machine's live telemetry every Collector:IntervalSeconds: reads the model's features from the configured
/// source (node_exporter scraped directly, or PromQL expressions evaluated by Prometheus), scores them with the shared
/// scorer and records the same gauges as /predict with source="collector". Nothing it meets (source down, slow or
/// malformed, a model for another machine) stops it or the service: the problem is recorded for /health/ready and
/// /collector/recent, logged once when it starts, and the next tick retries. Each tick holds a lease on the model
/// served at its start, so a reloaded model is picked up at the next tick (with a new feed if its features differ).
/// Registered always; with Collector:Enabled=false (the default) it ends at once.
/// </summary>
public sealed partial class TelemetryCollector(
    IOptions<CollectorOptions> options,
    IOptions<ScoringOptions> scoringOptions,
    ModelProvider model,
    AnomalyLabeler labeler,
    CollectorState state,
    IHttpClientFactory httpClientFactory,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<TelemetryCollector> logger) : BackgroundService
{
    public const string HttpClientName = "collector";

    private ICollectorFeed? _feed;
    private (LoadedModel Model, ScoringMetrics Metrics)? _metrics;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }
        Log.CollectorStarted(logger, settings.Source, settings.Url, settings.IntervalSeconds);

        using var timer = new PeriodicTimer(settings.Interval, time);
        do
        {
            try
            {
                await TickAsync(settings, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // An exception out of ExecuteAsync would stop the whole host: one bad tick must only cost that tick.
                Problem(CollectorProblemKind.ScoringFailed, $"the collector failed: {ex.Message}");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task TickAsync(CollectorOptions settings, CancellationToken stoppingToken)
    {
        // RunAnomalyApiAsync loads the model before hosted services start; a reload swaps it between ticks.
        using var lease = model.Acquire();
        var scorer = lease.Model.Scorer;
        var features = scorer.Config.Features;
        if (_feed is null || !_feed.Features.SequenceEqual(features, StringComparer.Ordinal))
        {
            _feed = CreateFeed(settings, features, out var problem);
            if (_feed is null)
            {
                Problem(CollectorProblemKind.Misconfigured, problem!);
                return;
            }
        }

        var reading = await _feed.ReadAsync(stoppingToken);
        await InlineIo.LeaveSocketThreadAsync();   // the scrape's socket may have resumed us on a socket thread (InlineIo)
        if (reading.Problem is { } readProblem)
        {
            Problem(reading.ProblemKind!.Value, readProblem);
            return;
        }
        if (reading.Vector is not { } vector)
        {
            Recovered(state.RecordScrapeOk(), settings.Url);
            return;
        }

        var values = vector.Result.Values;
        LabelledBatch batch;
        try
        {
            batch = PredictionService.Score(scorer, labeler, MetricsFor(lease.Model), values);
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

    /// <summary>
    /// The feed for Collector:Source, over <paramref name="features"/>. The Prometheus mapping is read here, not kept
    /// from start: the validator already checked it, and a file fixed after a reload's problem is picked up.
    /// </summary>
    private ICollectorFeed? CreateFeed(CollectorOptions settings, IReadOnlyList<string> features, out string? problem)
    {
        problem = null;
        var http = httpClientFactory.CreateClient(HttpClientName);
        if (settings.Source != CollectorOptions.PrometheusSource)
        {
            return new NodeExporterCollectorFeed(http, settings.Url, features);
        }
        try
        {
            var mapping = PrometheusMapping.Load(settings.ResolveMappingPath(environment.ContentRootPath, AppContext.BaseDirectory));
            return new PrometheusCollectorFeed(http, settings.Url, mapping, features, settings.TotalTimeout);
        }
        catch (PrometheusMappingException ex)
        {
            problem = ex.Message;
            return null;
        }
    }

    // One series set per model: the collector's gauges follow a reloaded model as the API's do.
    private ScoringMetrics MetricsFor(LoadedModel loaded)
    {
        if (_metrics is not { } current || !ReferenceEquals(current.Model, loaded))
        {
            var config = loaded.Scorer.Config;
            _metrics = current = (loaded, new ScoringMetrics(config.ModelName, config.Features, AnomalyMetrics.CollectorSource));
        }
        return current.Metrics;
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
