namespace AnomalyApi.Core.Scoring;

/// <summary>
/// The scores of N rows, in flat row-major arrays (one allocation each, whatever N is). Row i's values
/// are at [i * FeatureCount, (i + 1) * FeatureCount).
/// </summary>
public sealed class ScoredBatch
{
    private readonly IReadOnlyList<string> _featureNames;

    internal ScoredBatch(int rows, IReadOnlyList<string> featureNames, double threshold)
    {
        Rows = rows;
        _featureNames = featureNames;
        FeatureCount = featureNames.Count;
        Threshold = threshold;
        Normalized = new float[rows * FeatureCount];
        Reconstruction = new float[rows * FeatureCount];
        SquaredErrors = new float[rows * FeatureCount];
        Rmse = new double[rows];
        IsAnomaly = new bool[rows];
    }

    /// <summary>Number of rows scored.</summary>
    public int Rows { get; }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>The threshold the labels were decided with.</summary>
    public double Threshold { get; }

    /// <summary>The model's input: min-max normalised rows.</summary>
    public float[] Normalized { get; }

    /// <summary>The model's output, in normalised space.</summary>
    public float[] Reconstruction { get; }

    /// <summary>(x_norm - reconstruction)^2 per feature.</summary>
    public float[] SquaredErrors { get; }

    /// <summary>Per-row RMSE: the anomaly score.</summary>
    public double[] Rmse { get; }

    /// <summary>Per-row label: RMSE above the threshold.</summary>
    public bool[] IsAnomaly { get; }

    /// <summary>How many rows are anomalies.</summary>
    public int AnomalyCount => IsAnomaly.Count(static a => a);

    /// <summary>Row <paramref name="row"/> of <see cref="Normalized"/>.</summary>
    public ReadOnlySpan<float> NormalizedRow(int row) => Normalized.AsSpan(row * FeatureCount, FeatureCount);

    /// <summary>Row <paramref name="row"/> of <see cref="Reconstruction"/>.</summary>
    public ReadOnlySpan<float> ReconstructionRow(int row) => Reconstruction.AsSpan(row * FeatureCount, FeatureCount);

    /// <summary>Row <paramref name="row"/> of <see cref="SquaredErrors"/>.</summary>
    public ReadOnlySpan<float> SquaredErrorRow(int row) => SquaredErrors.AsSpan(row * FeatureCount, FeatureCount);

    /// <summary>
    /// The <paramref name="count"/> features with the largest squared error in <paramref name="row"/>, largest
    /// first (ties keep the model's order): the metrics that drive the score.
    /// </summary>
    public IReadOnlyList<FeatureError> TopFeatures(int row, int count)
    {
        var errors = SquaredErrorRow(row);
        count = Math.Clamp(count, 0, errors.Length);
        var top = new List<FeatureError>(count);
        // Insertion into a list of at most `count` items: F is tens of features and count is small,
        // so this beats sorting the whole row.
        for (var i = 0; i < errors.Length; i++)
        {
            var error = errors[i];
            if (top.Count == count && (count == 0 || error <= top[^1].Error))
            {
                continue;
            }
            var at = top.Count;
            while (at > 0 && top[at - 1].Error < error)
            {
                at--;
            }
            top.Insert(at, new FeatureError(i, _featureNames[i], error));
            if (top.Count > count)
            {
                top.RemoveAt(top.Count - 1);
            }
        }
        return top;
    }
}
