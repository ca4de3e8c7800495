namespace AnomalyApi.Core.Tests.Scoring.Adaptive;

/// <summary>Seeded samples and an exact quantile computed independently of the code under test.</summary>
internal static class Samples
{
    /// <summary>numpy.quantile's default ("linear"): rank h = (n - 1) p, interpolated between neighbours.</summary>
    public static double ExactQuantile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    public static double[] Shuffled(IEnumerable<double> values, int seed)
    {
        var array = values.ToArray();
        new Random(seed).Shuffle(array);
        return array;
    }

    /// <summary>Standard normal by Box-Muller, both outputs of each pair used.</summary>
    public static double[] Normal(int count, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i += 2)
        {
            var u1 = 1 - random.NextDouble(); // (0, 1]: keeps the logarithm finite
            var u2 = random.NextDouble();
            var radius = Math.Sqrt(-2 * Math.Log(u1));
            values[i] = radius * Math.Cos(2 * Math.PI * u2);
            if (i + 1 < count)
                values[i + 1] = radius * Math.Sin(2 * Math.PI * u2);
        }

        return values;
    }

    /// <summary>Exponential with rate 1 by inversion.</summary>
    public static double[] Exponential(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => -Math.Log(1 - random.NextDouble()))];
    }
}
