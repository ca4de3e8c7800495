namespace AnomalyApi.Trainer.Training;

/// <summary>
/// A seeded random partition of the rows into a training set and a validation set, each copied into its own
/// contiguous row-major buffer.
/// </summary>
internal sealed class TrainValidationSplit
{
    private TrainValidationSplit(float[] train, int trainRows, float[] validation, int validationRows)
    {
        Train = train;
        TrainRows = trainRows;
        Validation = validation;
        ValidationRows = validationRows;
    }

    public float[] Train { get; }

    public int TrainRows { get; }

    public float[] Validation { get; }

    public int ValidationRows { get; }

    /// <summary>
    /// Shuffles the row indices with <paramref name="random"/> and holds out round(rows × fraction) of them,
    /// clamped so that both sides keep at least one row.
    /// </summary>
    public static TrainValidationSplit Create(ReadOnlySpan<float> data, int features, double validationFraction, Random random)
    {
        var rows = data.Length / features;
        var order = Enumerable.Range(0, rows).ToArray();
        random.Shuffle(order);

        var validationRows = Math.Clamp((int)Math.Round(rows * validationFraction), 1, rows - 1);
        var validation = Gather(data, features, order.AsSpan(0, validationRows));
        var train = Gather(data, features, order.AsSpan(validationRows));
        return new TrainValidationSplit(train, rows - validationRows, validation, validationRows);
    }

    /// <summary>Copies the listed rows, in that order, into <paramref name="destination"/>.</summary>
    public static void Gather(ReadOnlySpan<float> data, int features, ReadOnlySpan<int> rows, Span<float> destination)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            data.Slice(rows[i] * features, features).CopyTo(destination.Slice(i * features, features));
        }
    }

    private static float[] Gather(ReadOnlySpan<float> data, int features, ReadOnlySpan<int> rows)
    {
        var result = new float[rows.Length * features];
        Gather(data, features, rows, result);
        return result;
    }
}
