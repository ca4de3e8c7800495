namespace AnomalyApi.Trainer.Training;

/// <summary>Descriptive statistics of a sample, computed in double.</summary>
public static class SampleStatistics
{
    /// <summary>The arithmetic mean.</summary>
    public static double Mean(ReadOnlySpan<double> sample)
    {
        RequireAtLeast(sample, 1);
        var sum = 0.0;
        foreach (var value in sample)
        {
            sum += value;
        }

        return sum / sample.Length;
    }

    /// <summary>The sample standard deviation, with Bessel's correction (divides by n - 1; numpy's ddof = 1).</summary>
    public static double StandardDeviation(ReadOnlySpan<double> sample)
    {
        RequireAtLeast(sample, 2);
        var mean = Mean(sample);
        var sum = 0.0;
        foreach (var value in sample)
        {
            sum += (value - mean) * (value - mean);
        }

        return Math.Sqrt(sum / (sample.Length - 1));
    }

    /// <summary>
    /// The <paramref name="percent"/>-th percentile by linear interpolation between the closest ranks: with the
    /// sample sorted as x[0..n-1] and h = (n - 1) · percent / 100, the value is x[⌊h⌋] + (h - ⌊h⌋)(x[⌊h⌋+1] - x[⌊h⌋]).
    /// This is numpy's default ("linear"), Hyndman and Fan's type 7 and R's quantile default; for 1..100 the
    /// 95th percentile is 95.05.
    /// </summary>
    /// <param name="sample">The values, in any order; not modified.</param>
    /// <param name="percent">Between 0 and 100.</param>
    public static double Percentile(ReadOnlySpan<double> sample, double percent)
    {
        RequireAtLeast(sample, 1);
        if (!(percent >= 0 && percent <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentile lies between 0 and 100.");
        }

        var sorted = sample.ToArray();
        Array.Sort(sorted);
        var h = (sorted.Length - 1) * percent / 100;
        var lower = (int)Math.Floor(h);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]);
    }

    private static void RequireAtLeast(ReadOnlySpan<double> sample, int count)
    {
        if (sample.Length < count)
        {
            throw new ArgumentException($"The statistic needs at least {count} values; the sample has {sample.Length}.", nameof(sample));
        }
    }
}
