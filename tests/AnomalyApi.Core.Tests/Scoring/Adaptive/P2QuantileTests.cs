using AnomalyApi.Core.Scoring.Adaptive;
using Xunit.Abstractions;

namespace AnomalyApi.Core.Tests.Scoring.Adaptive;

public class P2QuantileTests(ITestOutputHelper output)
{
    private double Run(string sample, double[] values, double p)
    {
        var estimator = new P2Quantile(p);
        foreach (var value in values)
            estimator.Add(value);

        var exact = Samples.ExactQuantile(values, p);
        var estimate = estimator.Estimate!.Value;
        output.WriteLine(
            $"{sample} p{p * 100:0.#}: P2 {estimate:G6}, exact {exact:G6}, abs err {Math.Abs(estimate - exact):G3}, rel err {Math.Abs(estimate - exact) / Math.Abs(exact):P3}");
        Assert.Equal(values.Length, estimator.Count);
        return estimate;
    }

    [Theory]
    [InlineData(0.5, 3.0)]
    [InlineData(0.9, 3.0)]
    [InlineData(0.99, 3.0)]
    public void Estimate_ShuffledOneToThousand_IsWithinFewRanksOfExact(double p, double tolerance)
    {
        var values = Samples.Shuffled(Enumerable.Range(1, 1000).Select(i => (double)i), seed: 7);

        var estimate = Run("1..1000 shuffled", values, p);

        Assert.Equal(Samples.ExactQuantile(values, p), estimate, tolerance);
    }

    [Theory]
    [InlineData(0.95, 0.01)]
    [InlineData(0.99, 0.02)]
    public void Estimate_SeededNormalTenThousand_IsWithinRelativeTolerance(double p, double relative)
    {
        var values = Samples.Normal(10_000, seed: 42);

        var estimate = Run("normal n=10000", values, p);

        var exact = Samples.ExactQuantile(values, p);
        Assert.InRange(Math.Abs(estimate - exact) / exact, 0, relative);
    }

    [Theory]
    [InlineData(0.5, 0.02)]
    [InlineData(0.95, 0.02)]
    [InlineData(0.99, 0.03)]
    public void Estimate_SeededExponentialTenThousand_IsWithinRelativeTolerance(double p, double relative)
    {
        var values = Samples.Exponential(10_000, seed: 3);

        var estimate = Run("exponential n=10000", values, p);

        var exact = Samples.ExactQuantile(values, p);
        Assert.InRange(Math.Abs(estimate - exact) / exact, 0, relative);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    public void Estimate_ManyTies_StaysOnTheTiedValue(double p)
    {
        // Five distinct values, 2,000 copies of each: every quantile asked for is one of them exactly.
        var values = Samples.Shuffled(Enumerable.Range(0, 10_000).Select(i => (double)(i % 5)), seed: 11);

        var estimate = Run("ties {0..4} x2000", values, p);

        Assert.Equal(Samples.ExactQuantile(values, p), estimate, 0.05);
    }

    [Fact]
    public void Estimate_AllEqual_IsThatValue()
    {
        var estimator = new P2Quantile(0.99);
        for (var i = 0; i < 1000; i++)
            estimator.Add(3.25);

        Assert.Equal(3.25, estimator.Estimate);
    }

    [Theory]
    [InlineData(new[] { 4.0 }, 0.5)]
    [InlineData(new[] { 4.0, 1.0 }, 0.5)]
    [InlineData(new[] { 4.0, 1.0, 9.0 }, 0.9)]
    [InlineData(new[] { 4.0, 1.0, 9.0, 2.0 }, 0.25)]
    [InlineData(new[] { 4.0, 1.0, 9.0, 2.0, 7.0 }, 0.99)]
    public void Estimate_FiveOrFewerObservations_IsExact(double[] values, double p)
    {
        var estimator = new P2Quantile(p);
        foreach (var value in values)
            estimator.Add(value);

        Assert.Equal(Samples.ExactQuantile(values, p), estimator.Estimate!.Value, 12);
    }

    [Fact]
    public void Estimate_NoObservations_IsNull()
    {
        var estimator = new P2Quantile(0.5);

        Assert.Null(estimator.Estimate);
        Assert.Equal(0, estimator.Count);
    }

    [Theory]
    [InlineData(true, 0.5)]
    [InlineData(true, 0.99)]
    [InlineData(false, 0.5)]
    [InlineData(false, 0.99)]
    public void Estimate_MonotoneSequence_IsWithinOnePercentOfRange(bool ascending, double p)
    {
        var values = Enumerable.Range(1, 10_000).Select(i => (double)(ascending ? i : 10_001 - i)).ToArray();

        var estimate = Run(ascending ? "ascending 1..10000" : "descending 10000..1", values, p);

        Assert.Equal(Samples.ExactQuantile(values, p), estimate, 100.0);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Add_NonFinite_Throws(double value)
    {
        var estimator = new P2Quantile(0.5);

        Assert.Throws<ArgumentException>(() => estimator.Add(value));
        Assert.Equal(0, estimator.Count);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Constructor_QuantileOutsideOpenInterval_Throws(double p) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new P2Quantile(p));
}
