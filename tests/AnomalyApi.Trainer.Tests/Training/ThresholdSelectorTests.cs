using AnomalyApi.Trainer.Training;

namespace AnomalyApi.Trainer.Tests.Training;

public class ThresholdSelectorTests
{
    private static readonly double[] OneToHundred = [.. Enumerable.Range(1, 100).Select(i => (double)i)];

    [Fact]
    public void Select_P95_OnOneToHundred_InterpolatesBetweenClosestRanks()
    {
        // h = 99 · 0.95 = 94.05: x[94] + 0.05 · (x[95] - x[94]) = 95 + 0.05.
        var choice = ThresholdSelector.Select(OneToHundred, ThresholdMethod.P95);

        Assert.Equal(95.05, choice.Value, 1e-12);
        Assert.Equal(ThresholdMethod.P95, choice.Applied);
        Assert.Null(choice.Normality);
    }

    [Fact]
    public void Select_P99_OnShuffledOneToHundred_InterpolatesBetweenClosestRanks()
    {
        // h = 99 · 0.99 = 98.01: 99 + 0.01 · (100 - 99).
        var shuffled = OneToHundred.ToArray();
        new Random(3).Shuffle(shuffled);

        var choice = ThresholdSelector.Select(shuffled, ThresholdMethod.P99);

        Assert.Equal(99.01, choice.Value, 1e-12);
    }

    [Theory]
    [InlineData(0, 15)]
    [InlineData(40, 29)] // h = 4 · 0.4 = 1.6: 20 + 0.6 · (35 - 20)
    [InlineData(50, 35)]
    [InlineData(90, 46)] // h = 3.6: 40 + 0.6 · (50 - 40)
    [InlineData(100, 50)]
    public void Percentile_OnSmallSample_MatchesNumpyLinear(double percent, double expected)
    {
        Assert.Equal(expected, SampleStatistics.Percentile([35, 50, 15, 40, 20], percent), 1e-12);
    }

    [Fact]
    public void Select_Mean3Sd_OnSmallSample_UsesTheSampleStandardDeviation()
    {
        // Mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32 over n - 1 = 7.
        var choice = ThresholdSelector.Select([2.0, 4, 4, 4, 5, 5, 7, 9], ThresholdMethod.Mean3Sd);

        Assert.Equal(5 + 3 * Math.Sqrt(32.0 / 7), choice.Value, 1e-12);
        Assert.Equal(ThresholdMethod.Mean3Sd, choice.Applied);
    }

    [Fact]
    public void Select_AutoOnNormalSample_AppliesMean3Sd()
    {
        var sample = SyntheticSamples.Normal(2000, mean: 0.05, sd: 0.01, seed: 42);

        var choice = ThresholdSelector.Select(sample, ThresholdMethod.Auto);

        Assert.Equal(ThresholdMethod.Auto, choice.Method);
        Assert.Equal(ThresholdMethod.Mean3Sd, choice.Applied);
        Assert.NotNull(choice.Normality);
        Assert.False(choice.Normality.RejectsNormality);
        Assert.Equal(2000, choice.Normality.SampleSize);
        Assert.Equal(SampleStatistics.Mean(sample) + 3 * SampleStatistics.StandardDeviation(sample), choice.Value, 1e-12);
    }

    [Fact]
    public void Select_AutoOnExponentialSample_AppliesP99()
    {
        var sample = SyntheticSamples.Exponential(2000, mean: 0.05, seed: 42);

        var choice = ThresholdSelector.Select(sample, ThresholdMethod.Auto);

        Assert.Equal(ThresholdMethod.P99, choice.Applied);
        Assert.True(choice.Normality!.RejectsNormality);
        Assert.True(choice.Normality.PValue < 0.001);
        Assert.Equal(SampleStatistics.Percentile(sample, 99), choice.Value);
    }

    [Fact]
    public void Select_AutoOnBimodalSample_AppliesP99()
    {
        double[] sample = [.. SyntheticSamples.Normal(500, 0.02, 0.002, seed: 1), .. SyntheticSamples.Normal(500, 0.08, 0.002, seed: 2)];

        var choice = ThresholdSelector.Select(sample, ThresholdMethod.Auto);

        Assert.Equal(ThresholdMethod.P99, choice.Applied);
    }

    [Fact]
    public void Select_AutoOnTooSmallSample_AppliesP99WithoutTest()
    {
        var choice = ThresholdSelector.Select([1.0, 2, 3, 4], ThresholdMethod.Auto);

        Assert.Equal(ThresholdMethod.P99, choice.Applied);
        Assert.Null(choice.Normality);
    }

    [Fact]
    public void Select_FloatScores_MatchDoubleScores()
    {
        float[] scores = [0.5f, 0.25f, 0.125f, 1f, 2f];

        var fromFloat = ThresholdSelector.Select(scores, ThresholdMethod.P95);
        var fromDouble = ThresholdSelector.Select(scores.Select(s => (double)s).ToArray(), ThresholdMethod.P95);

        Assert.Equal(fromDouble, fromFloat);
    }

    [Fact]
    public void Select_WithNaN_Throws()
    {
        Assert.Throws<ArgumentException>(() => ThresholdSelector.Select([1.0, double.NaN, 3], ThresholdMethod.P95));
    }

    [Theory]
    [InlineData("p95", ThresholdMethod.P95)]
    [InlineData("P99", ThresholdMethod.P99)]
    [InlineData("Mean3SD", ThresholdMethod.Mean3Sd)]
    [InlineData("AUTO", ThresholdMethod.Auto)]
    public void ParseMethod_IgnoresCase(string name, ThresholdMethod expected)
    {
        Assert.Equal(expected, ThresholdSelector.ParseMethod(name));
        Assert.Equal(name.ToLowerInvariant(), ThresholdSelector.MethodName(expected));
    }

    [Theory]
    [InlineData("p90")]
    [InlineData("0")]
    [InlineData("")]
    public void ParseMethod_WithUnknownName_ThrowsListingValidNames(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => ThresholdSelector.ParseMethod(name));

        Assert.Contains($"'{name}'", error.Message);
        Assert.Contains("p95, p99, mean3sd, auto", error.Message);
    }
}
