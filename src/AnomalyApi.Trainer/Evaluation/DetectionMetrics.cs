namespace AnomalyApi.Trainer.Evaluation;

/// <summary>Scores an anomaly detector against labels: the numbers behind the <c>evaluate</c> verb.</summary>
public static class DetectionMetrics
{
    /// <summary>
    /// Evaluates per-row anomaly scores (the autoencoder's RMSE) against 0/1 labels, flagging a row when
    /// its score is strictly greater than <paramref name="threshold"/>, as the model card's decision rule.
    /// </summary>
    /// <param name="scores">One finite score per row, higher meaning more anomalous.</param>
    /// <param name="labels">One label per row: 1 anomalous, 0 normal. Rows are in time order, which the
    /// segment metrics rely on.</param>
    /// <param name="threshold">The decision threshold, e.g. the one in model_config.json.</param>
    /// <exception cref="ArgumentException">The lists are empty or differ in length, a score or the
    /// threshold is NaN or infinite, or a label is neither 0 nor 1.</exception>
    public static EvaluationReport Evaluate(IReadOnlyList<double> scores, IReadOnlyList<int> labels, double threshold)
    {
        Validate(scores, labels, threshold);

        var predicted = scores.Select(score => score > threshold).ToArray();
        var segments = AnomalySegments.Find(labels);
        var latencies = segments
            .Select(segment => AnomalySegments.FirstDetection(predicted, segment))
            .OfType<int>()
            .ToList();
        var groups = RankingMetrics.GroupDescending(scores, labels);
        var (bestThreshold, bestF1) = RankingMetrics.BestF1(groups);

        return new EvaluationReport
        {
            Threshold = threshold,
            Pointwise = ConfusionMatrix.From(predicted, labels),
            PointAdjusted = ConfusionMatrix.From(AnomalySegments.PointAdjust(predicted, segments), labels),
            RocAuc = RankingMetrics.RocAuc(groups),
            AveragePrecision = RankingMetrics.AveragePrecision(groups),
            BestThreshold = bestThreshold,
            BestF1 = bestF1,
            TotalSegments = segments.Count,
            DetectedSegments = latencies.Count,
            MeanRowsToDetect = latencies.Count == 0 ? null : latencies.Average(),
        };
    }

    private static void Validate(IReadOnlyList<double> scores, IReadOnlyList<int> labels, double threshold)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.Count != labels.Count)
        {
            throw new ArgumentException($"{scores.Count} scores but {labels.Count} labels; they must pair up row by row.", nameof(labels));
        }
        if (scores.Count == 0)
        {
            throw new ArgumentException("There is nothing to evaluate: no rows.", nameof(scores));
        }
        if (!double.IsFinite(threshold))
        {
            throw new ArgumentException("The threshold must be a finite number.", nameof(threshold));
        }
        for (var i = 0; i < scores.Count; i++)
        {
            if (!double.IsFinite(scores[i]))
            {
                throw new ArgumentException($"Score at row {i} is {scores[i]}; scores must be finite.", nameof(scores));
            }
            if (labels[i] is not (0 or 1))
            {
                throw new ArgumentException($"Label at row {i} is {labels[i]}; labels must be 0 or 1.", nameof(labels));
            }
        }
    }
}
