using System.Text.Json.Serialization;

namespace AnomalyApi.Trainer.Evaluation;

/// <summary>
/// Counts of a binary detector against labels (positive = anomaly), with the rates derived from them.
/// Every rate whose denominator is zero is 0, as scikit-learn's <c>zero_division=0</c>: precision when
/// nothing is flagged, recall when there are no anomalies, FPR when there are no normal rows, F1 when both
/// precision and recall are 0. That keeps the JSON free of NaN, which System.Text.Json refuses to write.
/// </summary>
public sealed record ConfusionMatrix
{
    /// <summary>Anomalous rows flagged.</summary>
    [JsonPropertyName("truePositives")]
    public required int TruePositives { get; init; }

    /// <summary>Normal rows flagged.</summary>
    [JsonPropertyName("falsePositives")]
    public required int FalsePositives { get; init; }

    /// <summary>Normal rows not flagged.</summary>
    [JsonPropertyName("trueNegatives")]
    public required int TrueNegatives { get; init; }

    /// <summary>Anomalous rows missed.</summary>
    [JsonPropertyName("falseNegatives")]
    public required int FalseNegatives { get; init; }

    /// <summary>TP / (TP + FP): how many alarms were real; 0 when nothing is flagged.</summary>
    [JsonPropertyName("precision")]
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>TP / (TP + FN): how many anomalous rows were caught; 0 when there are none.</summary>
    [JsonPropertyName("recall")]
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>2TP / (2TP + FP + FN), the harmonic mean of precision and recall; 0 when TP = FP = FN = 0.</summary>
    [JsonPropertyName("f1")]
    public double F1 => Ratio(2L * TruePositives, 2L * TruePositives + FalsePositives + FalseNegatives);

    /// <summary>FP / (FP + TN): how many normal rows raise an alarm; 0 when there are none.</summary>
    [JsonPropertyName("falsePositiveRate")]
    public double FalsePositiveRate => Ratio(FalsePositives, FalsePositives + TrueNegatives);

    /// <summary>Counts <paramref name="predicted"/> against <paramref name="labels"/>, row by row.</summary>
    internal static ConfusionMatrix From(IReadOnlyList<bool> predicted, IReadOnlyList<int> labels)
    {
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            switch (predicted[i], labels[i] == 1)
            {
                case (true, true): tp++; break;
                case (true, false): fp++; break;
                case (false, false): tn++; break;
                case (false, true): fn++; break;
            }
        }
        return new ConfusionMatrix { TruePositives = tp, FalsePositives = fp, TrueNegatives = tn, FalseNegatives = fn };
    }

    private static double Ratio(long numerator, long denominator) =>
        denominator == 0 ? 0 : (double)numerator / denominator;
}
