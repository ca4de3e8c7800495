using AnomalyApi.Core.Normalization;
using AnomalyApi.Scoring;
using Prometheus;

namespace AnomalyApi.Observability;

/// <summary>
/// The <see cref="AnomalyMetrics"/> series of one model and one source, resolved once so that recording a score
/// does no label lookups.
/// </summary>
public sealed class ScoringMetrics
{
    private readonly Gauge.Child _score;
    private readonly Gauge.Child _isAnomaly;
    private readonly Counter.Child _predictions;
    private readonly Counter.Child _detections;
    private readonly Histogram.Child _batchSize;
    private readonly Gauge.Child _lastScoreTimestamp;
    private readonly Histogram.Child _parse;
    private readonly Histogram.Child _scoreDuration;
    private readonly Histogram.Child _respond;
    private readonly Counter.Child[] _outOfRange;

    public ScoringMetrics(string model, IReadOnlyList<string> features, string source)
    {
        _score = AnomalyMetrics.Score.WithLabels(model, source);
        _isAnomaly = AnomalyMetrics.IsAnomaly.WithLabels(model, source);
        _predictions = AnomalyMetrics.Predictions.WithLabels(model, source);
        _detections = AnomalyMetrics.Detections.WithLabels(model, source);
        _batchSize = AnomalyMetrics.BatchSize.WithLabels(model, source);
        _lastScoreTimestamp = AnomalyMetrics.LastScoreTimestamp.WithLabels(model, source);
        _parse = AnomalyMetrics.InferenceDuration.WithLabels(model, source, AnomalyMetrics.Stages.Parse);
        _scoreDuration = AnomalyMetrics.InferenceDuration.WithLabels(model, source, AnomalyMetrics.Stages.Score);
        _respond = AnomalyMetrics.InferenceDuration.WithLabels(model, source, AnomalyMetrics.Stages.Respond);
        _outOfRange = [.. features.Select(feature => AnomalyMetrics.FeatureOutOfRange.WithLabels(model, source, feature))];
    }

    public void ObserveParse(double seconds) => _parse.Observe(seconds);

    public void ObserveScore(double seconds) => _scoreDuration.Observe(seconds);

    public void ObserveRespond(double seconds) => _respond.Observe(seconds);

    public void ObserveBatchSize(int rows) => _batchSize.Observe(rows);

    /// <summary>Counts the rows and anomalies, sets the latest-score gauges from the batch's last row.</summary>
    public void RecordScores(LabelledBatch batch)
    {
        var anomalies = batch.AnomalyCount;
        _predictions.Inc(batch.Rows);
        if (anomalies > 0)
        {
            _detections.Inc(anomalies);
        }
        var last = batch.Rows - 1;
        _score.Set(batch.Scores.Rmse[last]);
        _isAnomaly.Set(batch.IsAnomaly[last] ? 1 : 0);
        _lastScoreTimestamp.SetToCurrentTimeUtc();
    }

    /// <summary>Counts raw values outside the training range, per feature.</summary>
    public void RecordOutOfRange(ReadOnlySpan<float> rawRows, MinMaxNormalizer normalizer)
    {
        var features = _outOfRange.Length;
        Span<int> counts = features <= 256 ? stackalloc int[features] : new int[features];
        counts.Clear();
        normalizer.CountOutOfRange(rawRows, counts);
        for (var feature = 0; feature < features; feature++)
        {
            if (counts[feature] > 0)
            {
                _outOfRange[feature].Inc(counts[feature]);
            }
        }
    }
}
