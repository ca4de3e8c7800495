using MathNet.Numerics.Distributions;

namespace AnomalyApi.Trainer.Training;

/// <summary>
/// The Lilliefors test of normality: the Kolmogorov-Smirnov distance between the sample and a normal
/// distribution with the sample's own mean and standard deviation. Estimating those from the sample makes the
/// plain KS p-value far too large, so the p-value follows Dallal and Wilkinson (1986), as R's
/// nortest::lillie.test and statsmodels' lilliefors(pvalmethod = "approx") compute it.
/// </summary>
public static class LillieforsTest
{
    /// <summary>Smallest sample the p-value approximation covers.</summary>
    public const int MinimumSampleSize = 5;

    private const string Name = "Lilliefors (Kolmogorov-Smirnov), Dallal-Wilkinson p-value";

    /// <summary>Tests <paramref name="sample"/> for normality at significance level <paramref name="alpha"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than <see cref="MinimumSampleSize"/> values, or all values equal.</exception>
    public static NormalityTestResult Run(ReadOnlySpan<double> sample, double alpha = 0.05)
    {
        var statistic = Statistic(sample);
        return new NormalityTestResult(Name, sample.Length, statistic, PValue(statistic, sample.Length), alpha);
    }

    /// <summary>
    /// D = max(D⁺, D⁻) with, over the sorted sample and p_i = Φ((x_i - mean) / sd) for i = 1..n,
    /// D⁺ = max(i/n - p_i) and D⁻ = max(p_i - (i - 1)/n); sd is the sample standard deviation (n - 1).
    /// </summary>
    public static double Statistic(ReadOnlySpan<double> sample)
    {
        if (sample.Length < MinimumSampleSize)
        {
            throw new ArgumentException($"The Lilliefors test needs at least {MinimumSampleSize} values; the sample has {sample.Length}.", nameof(sample));
        }

        var mean = SampleStatistics.Mean(sample);
        var sd = SampleStatistics.StandardDeviation(sample);
        if (sd == 0)
        {
            throw new ArgumentException("All values are equal: a constant sample cannot be tested for normality.", nameof(sample));
        }

        var sorted = sample.ToArray();
        Array.Sort(sorted);
        var n = (double)sorted.Length;
        var distance = 0.0;
        for (var i = 0; i < sorted.Length; i++)
        {
            var p = Normal.CDF(mean, sd, sorted[i]);
            distance = Math.Max(distance, Math.Max((i + 1) / n - p, p - i / n));
        }

        return distance;
    }

    /// <summary>
    /// Dallal and Wilkinson's analytic approximation of the Lilliefors p-value (exact to about 0.001 below 0.1),
    /// with statistics of samples over 100 scaled to n = 100 by (n / 100)^0.49; above 0.1 it switches to the
    /// polynomials of nortest::lillie.test in the modified statistic (√n - 0.01 + 0.85/√n) · D.
    /// </summary>
    public static double PValue(double statistic, int sampleSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSize, MinimumSampleSize);

        var n = (double)sampleSize;
        var (d, nd) = n <= 100 ? (statistic, n) : (statistic * Math.Pow(n / 100, 0.49), 100.0);
        var p = Math.Exp(-7.01256 * d * d * (nd + 2.78019) + 2.99587 * d * Math.Sqrt(nd + 2.78019)
            - 0.122119 + 0.974598 / Math.Sqrt(nd) + 1.67997 / nd);
        if (p <= 0.1)
        {
            return p;
        }

        var k = (Math.Sqrt(n) - 0.01 + 0.85 / Math.Sqrt(n)) * statistic;
        p = k switch
        {
            <= 0.302 => 1,
            <= 0.5 => 2.76773 - 19.828315 * k + 80.709644 * k * k - 138.55152 * k * k * k + 81.218052 * k * k * k * k,
            <= 0.9 => -4.901232 + 40.662806 * k - 97.490286 * k * k + 94.029866 * k * k * k - 32.355711 * k * k * k * k,
            <= 1.31 => 6.198765 - 19.558097 * k + 23.186922 * k * k - 12.234627 * k * k * k + 2.423045 * k * k * k * k,
            _ => 0,
        };
        return Math.Clamp(p, 0, 1);
    }
}
