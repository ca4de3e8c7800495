namespace AnomalyApi.Trainer.Tests.Training;

/// <summary>Seeded samples for the training and threshold tests.</summary>
internal static class SyntheticSamples
{
    /// <summary>
    /// Rows that lie on a <paramref name="rank"/>-dimensional linear subspace, each column min-max normalized to
    /// [0, 1]: an autoencoder whose bottleneck is at least that wide can reconstruct them almost exactly.
    /// </summary>
    public static float[] LowRankRows(int rows, int features, int rank, int seed)
    {
        var random = new Random(seed);
        var mixing = new double[rank * features];
        for (var i = 0; i < mixing.Length; i++)
        {
            mixing[i] = random.NextDouble() * 2 - 1;
        }

        var values = new double[rows * features];
        var latent = new double[rank];
        for (var r = 0; r < rows; r++)
        {
            for (var k = 0; k < rank; k++)
            {
                latent[k] = random.NextDouble();
            }

            for (var f = 0; f < features; f++)
            {
                var sum = 0.0;
                for (var k = 0; k < rank; k++)
                {
                    sum += latent[k] * mixing[k * features + f];
                }

                values[r * features + f] = sum;
            }
        }

        return Normalize(values, rows, features);
    }

    /// <summary>Normal values by the Box-Muller transform.</summary>
    public static double[] Normal(int count, double mean, double sd, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            var u1 = 1.0 - random.NextDouble(); // (0, 1], so the logarithm is finite
            var u2 = random.NextDouble();
            values[i] = mean + sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        return values;
    }

    /// <summary>Exponential values by inversion: long right tail, like reconstruction errors usually have.</summary>
    public static double[] Exponential(int count, double mean, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => -mean * Math.Log(1.0 - random.NextDouble()))];
    }

    private static float[] Normalize(double[] values, int rows, int features)
    {
        var result = new float[values.Length];
        for (var f = 0; f < features; f++)
        {
            var min = double.PositiveInfinity;
            var max = double.NegativeInfinity;
            for (var r = 0; r < rows; r++)
            {
                min = Math.Min(min, values[r * features + f]);
                max = Math.Max(max, values[r * features + f]);
            }

            for (var r = 0; r < rows; r++)
            {
                result[r * features + f] = (float)((values[r * features + f] - min) / (max - min));
            }
        }

        return result;
    }
}
