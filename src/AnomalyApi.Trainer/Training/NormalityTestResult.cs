namespace AnomalyApi.Trainer.Training;

/// <summary>The outcome of a normality test.</summary>
/// <param name="Test">Name of the test and of its p-value method.</param>
/// <param name="SampleSize">Number of values tested.</param>
/// <param name="Statistic">The test statistic (for Lilliefors, the Kolmogorov-Smirnov distance D).</param>
/// <param name="PValue">Probability of a statistic at least this large if the sample were normal.</param>
/// <param name="Alpha">Significance level the decision uses.</param>
public sealed record NormalityTestResult(string Test, int SampleSize, double Statistic, double PValue, double Alpha)
{
    /// <summary>Whether normality is rejected: <see cref="PValue"/> below <see cref="Alpha"/>.</summary>
    public bool RejectsNormality => PValue < Alpha;
}
