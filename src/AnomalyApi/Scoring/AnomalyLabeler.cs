using System.Runtime.CompilerServices;
using AnomalyApi.Core.Scoring;
using AnomalyApi.Core.Scoring.Adaptive;
using AnomalyApi.Model;
using AnomalyApi.Observability;
using Microsoft.Extensions.Options;
using Prometheus;

namespace AnomalyApi.Scoring;

/// <summary>
/// The one place a scored row gets its label: every row from every source (API and collector) goes through the
/// model's single <see cref="AdaptiveThreshold"/>, in row order, so responses and metrics cannot disagree. Each
/// loaded model has its own tracker: a reloaded model starts afresh (its scores are not comparable with the old
/// model's), and requests still finishing on the old model keep using the old one.
/// </summary>
public sealed class AnomalyLabeler(ModelProvider model, IOptions<AdaptiveOptions> options)
{
    private readonly ConditionalWeakTable<LoadedModel, Tracker> _trackers = [];

    /// <summary>The threshold tracker of the model this flow uses (<see cref="ModelProvider.Model"/>).</summary>
    public AdaptiveThreshold Threshold => TrackerOf(model.Model).Threshold;

    /// <summary>Labels each row of <paramref name="batch"/> in order and exports the adaptive threshold once trusted.</summary>
    public LabelledBatch Label(ScoredBatch batch)
    {
        var loaded = model.Model;
        var tracker = TrackerOf(loaded);
        var threshold = tracker.Threshold;
        var isAnomaly = new bool[batch.Rows];
        var adaptive = new double?[batch.Rows];
        for (var row = 0; row < batch.Rows; row++)
        {
            var rmse = batch.Rmse[row];
            if (!double.IsFinite(rmse))
            {
                // The endpoints answer these rows with a problem; they must not reach the recent scores.
                isAnomaly[row] = batch.IsAnomaly[row];
                continue;
            }
            var decision = threshold.Observe(rmse);
            isAnomaly[row] = decision.IsAnomaly;
            adaptive[row] = decision.AdaptiveThreshold;
        }
        // Not exported until trusted: no NaN or placeholder values on /metrics. A replaced model finishing its
        // last requests must not overwrite the series of the one now served.
        if (threshold.Current is { } current && model.IsCurrent(loaded))
        {
            tracker.Gauge.Set(current);
        }
        return new LabelledBatch(batch, isAnomaly, adaptive);
    }

    private Tracker TrackerOf(LoadedModel loaded) =>
        _trackers.GetValue(loaded, m => new Tracker(
            new AdaptiveThreshold(m.Scorer.Config.Threshold, options.Value.ToCore()),
            AnomalyMetrics.AdaptiveThreshold.WithLabels(m.Scorer.Config.ModelName)));

    private sealed record Tracker(AdaptiveThreshold Threshold, Gauge.Child Gauge);
}

/// <summary>A scored batch with the labels the configured rule gave its rows.</summary>
/// <param name="Scores">Core's scores (its own IsAnomaly is by the static threshold only: use <see cref="IsAnomaly"/>).</param>
/// <param name="IsAnomaly">Each row's label.</param>
/// <param name="AdaptiveThreshold">The adaptive threshold each row was judged against, or null.</param>
public sealed record LabelledBatch(ScoredBatch Scores, bool[] IsAnomaly, double?[] AdaptiveThreshold)
{
    public int Rows => Scores.Rows;

    public int AnomalyCount
    {
        get
        {
            var count = 0;
            foreach (var anomaly in IsAnomaly)
            {
                count += anomaly ? 1 : 0;
            }
            return count;
        }
    }
}
