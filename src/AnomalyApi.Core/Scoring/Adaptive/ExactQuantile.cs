namespace AnomalyApi.Core.Scoring.Adaptive;

/// <summary>
/// The exact quantile of sorted values, with numpy's default ("linear") interpolation: the quantile sits at
/// fractional rank h = (n - 1) * p, between the values at floor(h) and floor(h) + 1.
/// </summary>
internal static class ExactQuantile
{
    public static double OfSorted(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.IsEmpty)
            throw new ArgumentException("No values.", nameof(sorted));

        var h = (sorted.Length - 1) * p;
        var lower = (int)Math.Floor(h);
        if (lower >= sorted.Length - 1)
            return sorted[^1];

        var fraction = h - lower;
        return sorted[lower] + fraction * (sorted[lower + 1] - sorted[lower]);
    }

    public static void CheckProbability(double p, string paramName)
    {
        // Written so that NaN fails too.
        if (!(p > 0 && p < 1))
            throw new ArgumentOutOfRangeException(paramName, p, "The quantile must lie strictly between 0 and 1.");
    }

    public static void CheckFinite(double x, string paramName)
    {
        if (!double.IsFinite(x))
            throw new ArgumentException($"Observations must be finite, got {x}.", paramName);
    }
}
