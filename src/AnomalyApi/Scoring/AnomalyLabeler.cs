using AnomalyApi.Core.Scoring;
using AnomalyApi.Core.Scoring.Adaptive;
using AnomalyApi.Model;
using AnomalyApi.Observability;
using Microsoft.Extensions.Options;
using Prometheus;

namespace AnomalyApi.Scoring;

/// <summary>
/// The one place a scored row gets its label: every row from every source (API and collector) goes through the
/// loaded model's single <see cref="AdaptiveThreshold"/>, in row order, so responses and metrics cannot disagree.
/// </summary>
public sealed class AnomalyLabeler(ModelProvider model, IOptions<AdaptiveOptions> options)
{
    private readonly Lock _gate = new();
    private AdaptiveThreshold? _threshold;
    private Gauge.Child? _gauge;

    /// <summary>The loaded model's threshold tracker, built on first use (the model is loaded by then).</summary>
    public AdaptiveThreshold Threshold
    {
        get
        {
            lock (_gate)
            {
                if (_threshold is null)
                {
                    var config = model.Scorer.Config;
                    _gauge = AnomalyMetrics.AdaptiveThreshold.WithLabels(config.ModelName);
                    _threshold = new AdaptiveThreshold(config.Threshold, options.Value.ToCore());
                }
                return _threshold;
            }
        }
    }

    /// <summary>Labels each row of <paramref name="batch"/> in order and exports the adaptive threshold once trusted.</summary>
    public LabelledBatch Label(ScoredBatch batch)
    {
        var threshold = Threshold;
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
        // Not exported until trusted: no NaN or placeholder values on /metrics.
        if (threshold.Current is { } current)
        {
            _gauge!.Set(current);
        }
        return new LabelledBatch(batch, isAnomaly, adaptive);
    }
}

/// <summary>A scored batch with the labels the configured rule gave its rows.</summary>
/// <param name="Scores">Core's scores (its own IsAnomaly is by the static threshold only: use <see cref="IsAnomaly"/>).</param>
/// <param name="IsAnomaly">Each row's label.</param>
/// <param name="AdaptiveThreshold">The adaptive threshold each row was judged against, or null.</param>
public sealed record LabelledBatch(ScoredBatch Scores, bool[] IsAnomaly, double?[] AdaptiveThreshold)
{
    public int Rows => Scores.Rows;

    public int AnomalyCount => IsAnomaly.Count(static a => a);
}
