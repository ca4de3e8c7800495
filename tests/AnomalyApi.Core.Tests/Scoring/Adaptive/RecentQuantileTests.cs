using AnomalyApi.Core.Scoring.Adaptive;

namespace AnomalyApi.Core.Tests.Scoring.Adaptive;

public class RecentQuantileTests
{
    [Fact]
    public void Estimate_EveryStep_EqualsExactQuantileOfLastWindow()
    {
        const int window = 50;
        var values = Samples.Exponential(500, seed: 5);
        // Ties make eviction pick among equal values; rounding forces plenty of them.
        values = [.. values.Select(v => Math.Round(v, 1))];
        var recent = new RecentQuantile(0.9, window);

        for (var i = 0; i < values.Length; i++)
        {
            recent.Add(values[i]);
            var last = values.Skip(Math.Max(0, i + 1 - window)).Take(Math.Min(window, i + 1));
            Assert.Equal(Samples.ExactQuantile(last, 0.9), recent.Estimate!.Value, 12);
            Assert.Equal(Math.Min(window, i + 1), recent.Count);
        }
    }

    [Fact]
    public void Estimate_AfterLevelShift_FollowsNewLevelWithinWindow()
    {
        const int window = 200;
        var recent = new RecentQuantile(0.99, window);
        var noise = Samples.Normal(2 * window, seed: 9);

        for (var i = 0; i < window; i++)
            recent.Add(1 + 0.01 * noise[i]);
        Assert.InRange(recent.Estimate!.Value, 1.0, 1.05);

        // The machine's normal moves to 5: one window later nothing of the old level remains.
        for (var i = window; i < 2 * window; i++)
            recent.Add(5 + 0.01 * noise[i]);

        Assert.InRange(recent.Estimate!.Value, 5.0, 5.05);
        Assert.Equal(Samples.ExactQuantile(noise[window..].Select(n => 5 + 0.01 * n), 0.99), recent.Estimate!.Value, 12);
    }

    [Fact]
    public void Estimate_Empty_IsNull() => Assert.Null(new RecentQuantile(0.5, 10).Estimate);

    [Fact]
    public void Add_NaN_ThrowsAndLeavesWindowUnchanged()
    {
        var recent = new RecentQuantile(0.5, 10);
        recent.Add(1);

        Assert.Throws<ArgumentException>(() => recent.Add(double.NaN));
        Assert.Equal(1, recent.Count);
        Assert.Equal(1, recent.Estimate);
    }

    [Fact]
    public void Constructor_ZeroWindow_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecentQuantile(0.5, 0));
}
