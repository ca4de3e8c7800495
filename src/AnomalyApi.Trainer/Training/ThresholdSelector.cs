namespace AnomalyApi.Trainer.Training;

/// <summary>
/// Picks the anomaly threshold from the reconstruction errors (rmse) of the training rows with the seed
/// pipeline's rules: a percentile, or mean + 3 sd when the errors look normal.
/// </summary>
public static class ThresholdSelector
{
    /// <summary>Significance level of the normality test behind <see cref="ThresholdMethod.Auto"/>.</summary>
    public const double NormalityAlpha = 0.05;

    private static readonly (string Name, ThresholdMethod Method)[] Names =
    [
        ("p95", ThresholdMethod.P95),
        ("p99", ThresholdMethod.P99),
        ("mean3sd", ThresholdMethod.Mean3Sd),
        ("auto", ThresholdMethod.Auto),
    ];

    /// <summary>The accepted method names, as the CLI and model_config.json spell them.</summary>
    public static IReadOnlyList<string> MethodNames { get; } = [.. Names.Select(entry => entry.Name)];

    /// <summary>Parses "p95", "p99", "mean3sd" or "auto", ignoring case.</summary>
    /// <exception cref="ArgumentException">The name is none of those; the message lists them.</exception>
    public static ThresholdMethod ParseMethod(string name) =>
        TryParseMethod(name, out var method)
            ? method
            : throw new ArgumentException(
                $"Unknown threshold method '{name}'. Valid methods: {string.Join(", ", MethodNames)}.", nameof(name));

    /// <summary>Parses a method name, ignoring case; false when it is none of <see cref="MethodNames"/>.</summary>
    public static bool TryParseMethod(string? name, out ThresholdMethod method)
    {
        foreach (var entry in Names)
        {
            if (string.Equals(entry.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                method = entry.Method;
                return true;
            }
        }

        method = default;
        return false;
    }

    /// <summary>The lower-case name of a method ("p95", "p99", "mean3sd", "auto").</summary>
    public static string MethodName(ThresholdMethod method) =>
        Names.Single(entry => entry.Method == method).Name;

    /// <summary>
    /// Computes the threshold. Percentiles interpolate linearly between closest ranks (numpy's default, see
    /// <see cref="SampleStatistics.Percentile"/>); Mean3Sd uses the sample standard deviation (n - 1); Auto
    /// applies Mean3Sd only when the Lilliefors test does not reject normality at
    /// <see cref="NormalityAlpha"/>, and P99 otherwise.
    /// </summary>
    /// <param name="rmse">Reconstruction errors of the training rows; at least two.</param>
    /// <param name="method">The rule to apply.</param>
    public static ThresholdChoice Select(ReadOnlySpan<double> rmse, ThresholdMethod method)
    {
        if (rmse.Length < 2)
        {
            throw new ArgumentException($"A threshold needs at least two reconstruction errors; got {rmse.Length}.", nameof(rmse));
        }

        var sample = rmse.ToArray();
        if (!sample.All(double.IsFinite))
        {
            throw new ArgumentException("The reconstruction errors contain NaN or infinite values.", nameof(rmse));
        }

        var normality = method == ThresholdMethod.Auto ? TestNormality(sample) : null;
        var applied = method switch
        {
            ThresholdMethod.Auto => normality is { RejectsNormality: false } ? ThresholdMethod.Mean3Sd : ThresholdMethod.P99,
            ThresholdMethod.P95 or ThresholdMethod.P99 or ThresholdMethod.Mean3Sd => method,
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown threshold method."),
        };
        var value = applied switch
        {
            ThresholdMethod.P95 => SampleStatistics.Percentile(sample, 95),
            ThresholdMethod.P99 => SampleStatistics.Percentile(sample, 99),
            _ => SampleStatistics.Mean(sample) + 3 * SampleStatistics.StandardDeviation(sample),
        };
        return new ThresholdChoice(method, applied, value, normality);
    }

    /// <inheritdoc cref="Select(ReadOnlySpan{double}, ThresholdMethod)"/>
    public static ThresholdChoice Select(ReadOnlySpan<float> rmse, ThresholdMethod method)
    {
        var widened = new double[rmse.Length];
        for (var i = 0; i < rmse.Length; i++)
        {
            widened[i] = rmse[i];
        }

        return Select(widened, method);
    }

    // Null when the test cannot run: too few values, or all equal (then every rule gives that value anyway).
    private static NormalityTestResult? TestNormality(double[] sample)
    {
        if (sample.Length < LillieforsTest.MinimumSampleSize || sample.All(value => value == sample[0]))
        {
            return null;
        }

        return LillieforsTest.Run(sample, NormalityAlpha);
    }
}
