namespace AnomalyApi.Trainer.Synthesis;

internal static class RandomExtensions
{
    /// <summary>A standard normal draw (Box-Muller), written out so the sequence depends only on the seed.</summary>
    public static double NextGaussian(this Random random)
    {
        // 1 - NextDouble() lies in (0, 1], so the logarithm is finite.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A uniform draw in [min, max).</summary>
    public static double NextDouble(this Random random, double min, double max) =>
        min + (max - min) * random.NextDouble();
}
