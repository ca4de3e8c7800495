using System.Text.Json.Serialization;

namespace AnomalyApi.Trainer.Evaluation;

/// <summary>
/// What the <c>evaluate</c> verb reports for one scored, labelled series. Property names are fixed to
/// camelCase by attributes, so the JSON is the same whatever options the caller serialises with; a metric
/// that is undefined for the data (one class only, no segment detected) is null rather than NaN.
/// </summary>
public sealed record EvaluationReport
{
    /// <summary>The threshold evaluated: a row is flagged when its score is strictly greater.</summary>
    [JsonPropertyName("threshold")]
    public required double Threshold { get; init; }

    /// <summary>Row-by-row counts and rates at <see cref="Threshold"/>.</summary>
    [JsonPropertyName("pointwise")]
    public required ConfusionMatrix Pointwise { get; init; }

    /// <summary>
    /// Counts and rates at <see cref="Threshold"/> after point adjustment: a true segment with any flagged row
    /// counts as flagged throughout (the Server Machine Dataset papers' convention). Optimistic by design;
    /// compare models with it, not with <see cref="Pointwise"/> numbers from elsewhere.
    /// </summary>
    [JsonPropertyName("pointAdjusted")]
    public required ConfusionMatrix PointAdjusted { get; init; }

    /// <summary>Area under the ROC curve (Mann-Whitney, ties half); null unless both classes occur.</summary>
    [JsonPropertyName("rocAuc")]
    public required double? RocAuc { get; init; }

    /// <summary>PR-AUC as scikit-learn's average precision; null when no row is anomalous.</summary>
    [JsonPropertyName("averagePrecision")]
    public required double? AveragePrecision { get; init; }

    /// <summary>The threshold with the highest pointwise F1 over all cut points between distinct scores.</summary>
    [JsonPropertyName("bestThreshold")]
    public required double BestThreshold { get; init; }

    /// <summary>The pointwise F1 at <see cref="BestThreshold"/>.</summary>
    [JsonPropertyName("bestF1")]
    public required double BestF1 { get; init; }

    /// <summary>Contiguous runs of anomalous rows in the labels.</summary>
    [JsonPropertyName("totalSegments")]
    public required int TotalSegments { get; init; }

    /// <summary>Segments with at least one row flagged at <see cref="Threshold"/>.</summary>
    [JsonPropertyName("detectedSegments")]
    public required int DetectedSegments { get; init; }

    /// <summary>
    /// Over detected segments, the mean of (first flagged row - segment start): 0 when alarms fire on the
    /// first anomalous row. Null when no segment is detected; missed segments are in
    /// <see cref="TotalSegments"/> - <see cref="DetectedSegments"/>, not here.
    /// </summary>
    [JsonPropertyName("meanRowsToDetect")]
    public required double? MeanRowsToDetect { get; init; }
}
