using AnomalyApi.Trainer.Training;

namespace AnomalyApi.Trainer.Tests.Training;

public class LillieforsTestTests
{
    [Fact]
    public void Statistic_OnOneToFive_MatchesHandComputation()
    {
        // Mean 3, sd √2.5; sorted z = (x - 3) / √2.5. The largest gap is at x = 2 from above:
        // D⁺ = 2/5 - Φ(-1/√2.5) = 0.4 - 0.26354462843276905 (Φ from erfc), and by symmetry D⁻ at x = 4 is equal.
        var statistic = LillieforsTest.Statistic([1.0, 2, 3, 4, 5]);

        Assert.Equal(0.4 - 0.26354462843276905, statistic, 1e-12);
    }

    [Fact]
    public void Statistic_IgnoresOrderAndLocationAndScale()
    {
        double[] sample = [2.1, 3.4, 1.9, 5.6, 2.2, 2.8, 9.7, 3.0];

        var statistic = LillieforsTest.Statistic(sample);

        Assert.Equal(statistic, LillieforsTest.Statistic([.. sample.Reverse().Select(x => 10 * x - 4)]), 1e-12);
        Assert.Equal(0.3157368030568229, statistic, 1e-12);
    }

    [Theory]
    [InlineData(0.190, 20)] // Lilliefors (1967) table, n = 20, α = 0.05
    [InlineData(0.161, 30)] // n = 30
    [InlineData(0.0443, 400)] // 0.886 / √n for n > 30
    public void PValue_AtTabulatedFivePercentCriticalValues_IsAboutFivePercent(double statistic, int n)
    {
        Assert.InRange(LillieforsTest.PValue(statistic, n), 0.04, 0.06);
    }

    [Fact]
    public void PValue_OnOneToFive_AcceptsNormality()
    {
        var result = LillieforsTest.Run([1.0, 2, 3, 4, 5]);

        Assert.InRange(result.PValue, 0.9, 1.0);
        Assert.False(result.RejectsNormality);
    }

    [Fact]
    public void PValue_FallsAsTheStatisticGrows()
    {
        var pValues = Enumerable.Range(1, 40).Select(i => LillieforsTest.PValue(i * 0.01, 50)).ToArray();

        Assert.All(pValues.Zip(pValues.Skip(1)), pair => Assert.True(pair.Second <= pair.First + 1e-9));
        Assert.Equal(1, pValues[0]);
        Assert.True(pValues[^1] < 1e-6);
    }

    [Fact]
    public void Run_OnSkewedSmallSample_RejectsNormality()
    {
        var result = LillieforsTest.Run([2.1, 3.4, 1.9, 5.6, 2.2, 2.8, 9.7, 3.0]);

        // nortest::lillie.test's Dallal-Wilkinson formula at D = 0.31574, n = 8.
        Assert.Equal(0.018351309742392182, result.PValue, 1e-9);
        Assert.True(result.RejectsNormality);
    }

    [Fact]
    public void Statistic_OnTooSmallOrConstantSample_Throws()
    {
        Assert.Throws<ArgumentException>(() => LillieforsTest.Statistic([1.0, 2, 3, 4]));
        Assert.Throws<ArgumentException>(() => LillieforsTest.Statistic([2.0, 2, 2, 2, 2]));
    }
}
