using AnomalyApi.Core.Scoring.Adaptive;

namespace AnomalyApi.Core.Tests.Scoring.Adaptive;

public class AdaptiveThresholdTests
{
    private const double StaticThreshold = 10;

    // Median of the last 10 scores, trusted after 10: small enough to reason about by hand.
    private static AdaptiveThreshold Create(AnomalyRule rule, bool enabled = true) =>
        new(StaticThreshold, new AdaptiveThresholdOptions
        {
            Enabled = enabled,
            Quantile = 0.5,
            Window = 10,
            MinObservations = 10,
            Rule = rule,
        });

    private static void Warm(AdaptiveThreshold threshold, double level)
    {
        for (var i = 0; i < 10; i++)
            threshold.Observe(level);
    }

    [Theory]
    [InlineData(AnomalyRule.Static)]
    [InlineData(AnomalyRule.Adaptive)]
    [InlineData(AnomalyRule.Either)]
    public void Observe_BeforeMinObservations_LabelsByStaticAndReportsNoAdaptive(AnomalyRule rule)
    {
        var threshold = Create(rule);
        for (var i = 0; i < 9; i++)
            threshold.Observe(1);
        Assert.Null(threshold.Current);

        // 5 is far above every score so far, yet only the static threshold counts until 10 are seen.
        Assert.Equal(new Decision(false, null), threshold.Observe(5));

        // The tenth score made it trusted: the median of nine 1s and a 5 judges the next one.
        Assert.Equal(10, threshold.Count);
        Assert.Equal(1, threshold.Current);
        Assert.Equal(new Decision(true, 1), threshold.Observe(11));
    }

    [Fact]
    public void Observe_StaticRule_FlagsOnlyAboveStaticThreshold()
    {
        var threshold = Create(AnomalyRule.Static);
        Warm(threshold, 1);

        Assert.Equal(new Decision(false, 1), threshold.Observe(5));
        Assert.False(threshold.Observe(10).IsAnomaly); // strictly greater is an anomaly
        Assert.True(threshold.Observe(10.5).IsAnomaly);
    }

    [Fact]
    public void Observe_AdaptiveRule_FlagsAboveTrackedQuantileOnceTrusted()
    {
        var threshold = Create(AnomalyRule.Adaptive);
        Warm(threshold, 1);

        Assert.Equal(new Decision(true, 1), threshold.Observe(5));
        Assert.Equal(new Decision(false, 1), threshold.Observe(1));
        Assert.Equal(new Decision(false, 1), threshold.Observe(0.5));
    }

    [Fact]
    public void Observe_AdaptiveRule_IgnoresStaticThresholdOnceTrusted()
    {
        var threshold = Create(AnomalyRule.Adaptive);
        Warm(threshold, 20);

        // Above the static 10, but not above the tracked median of 20.
        Assert.Equal(new Decision(false, 20), threshold.Observe(15));
    }

    [Fact]
    public void Observe_EitherRule_FlagsAboveEitherThreshold()
    {
        var low = Create(AnomalyRule.Either);
        Warm(low, 1);
        Assert.True(low.Observe(5).IsAnomaly);   // adaptive only
        Assert.False(low.Observe(1).IsAnomaly);  // neither

        var high = Create(AnomalyRule.Either);
        Warm(high, 20);
        Assert.True(high.Observe(15).IsAnomaly); // static only
        Assert.True(high.Observe(25).IsAnomaly); // both
        Assert.False(high.Observe(9).IsAnomaly); // neither
    }

    [Fact]
    public void Observe_ScoreIsJudgedBeforeItJoinsTheWindow()
    {
        var threshold = Create(AnomalyRule.Adaptive);
        Warm(threshold, 1);

        // Judged against the median of ten 1s; only afterwards does the 100 join the window.
        var decision = threshold.Observe(100);

        Assert.Equal(new Decision(true, 1), decision);
        Assert.Equal(1, threshold.Current);
    }

    [Fact]
    public void Observe_PersistentShift_BecomesTheNewNormalUnderAdaptive()
    {
        var threshold = Create(AnomalyRule.Adaptive);
        Warm(threshold, 1);

        // The window of 10 keeps anomalies too: the sixth 5 meets a median of (1 + 5) / 2 = 3 and is still
        // flagged; from the seventh on, more than half the window has shifted and 5 is the new normal.
        var flags = Enumerable.Range(0, 10).Select(_ => threshold.Observe(5).IsAnomaly).ToArray();

        Assert.Equal([true, true, true, true, true, true, false, false, false, false], flags);
        Assert.Equal(5, threshold.Current);
    }

    [Fact]
    public void Observe_Disabled_LabelsByStaticAndNeverReportsAdaptive()
    {
        var threshold = Create(AnomalyRule.Adaptive, enabled: false);
        Warm(threshold, 1);

        Assert.Equal(new Decision(false, null), threshold.Observe(5));
        Assert.Equal(new Decision(true, null), threshold.Observe(11));
        Assert.Null(threshold.Current);
    }

    [Fact]
    public void Observe_NaN_ThrowsAndCountsNothing()
    {
        var threshold = Create(AnomalyRule.Either);

        Assert.Throws<ArgumentException>(() => threshold.Observe(double.NaN));
        Assert.Equal(0, threshold.Count);
    }

    [Fact]
    public void Observe_ManyThreadsAtOnce_CountsEveryObservationAndStaysExact()
    {
        const int threads = 16;
        const int perThread = 5_000;
        var threshold = new AdaptiveThreshold(StaticThreshold, new AdaptiveThresholdOptions
        {
            Enabled = true,
            Quantile = 0.99,
            Window = threads * perThread, // holds everything, so the final quantile is known exactly
            MinObservations = 100,
            Rule = AnomalyRule.Either,
        });
        var all = Enumerable.Range(0, threads * perThread).Select(i => (double)i).ToArray();

        // Dedicated threads released together: pool threads blocked on a barrier would starve the pool.
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = t; i < all.Length; i += threads)
                threshold.Observe(all[i]);
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        Assert.Equal(threads * perThread, threshold.Count);
        Assert.Equal(Samples.ExactQuantile(all, 0.99), threshold.Current!.Value, 9);
    }
}
