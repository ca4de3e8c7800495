using AnomalyApi.Core.Configuration;
using AnomalyApi.Trainer.Building;

namespace AnomalyApi.Trainer.Tests.Building;

/// <summary>
/// <c>--range-margin</c>'s widening of the fitted min/max, against values worked out by hand from
/// pad = margin × max(max − min, floor × scale) on each side, where scale is 1 for a CPU fraction, the largest byte
/// gauge for a <c>_bytes</c> gauge and the feature's own max(|min|, |max|) otherwise.
/// </summary>
public sealed class RangeWideningTests
{
    private static MinMaxNormalization Fitted(params (double Min, double Max)[] ranges) =>
        new([.. ranges.Select(r => r.Min)], [.. ranges.Select(r => r.Max)], Clip: true);

    private static (double Min, double Max) Widened(string feature, double min, double max, double margin, double floor = RangeWidening.DefaultFloor)
    {
        var widened = RangeWidening.Widen(Fitted((min, max)), [feature], margin, floor);
        return (widened.Min[0], widened.Max[0]);
    }

    [Fact]
    public void MarginZero_ReturnsTheFittedRangeUnchanged()
    {
        var fitted = Fitted((0.25, 0.75), (1e9, 1.001e9), (5, 5));

        var widened = RangeWidening.Widen(fitted, ["cpu_0_idle", "memory_used_bytes", "constant"], margin: 0, floor: 0.05);

        Assert.Equal(fitted.Min, widened.Min);
        Assert.Equal(fitted.Max, widened.Max);
        Assert.True(widened.Clip);
    }

    [Fact]
    public void ByteGauge_WithTinyIdleRange_IsWidenedByTheRelativeFloor()
    {
        // 4 MiB of movement around 1 GiB: the floor 0.05 × 1028 MiB = 51.4 MiB beats the range, × margin 2 = 102.8 MiB a side.
        const double MiB = 1 << 20;
        var (min, max) = Widened("memory_used_bytes", 1024 * MiB, 1028 * MiB, margin: 2);

        Assert.Equal(921.2 * MiB, min, 1e-3);
        Assert.Equal(1130.8 * MiB, max, 1e-3);
    }

    [Fact]
    public void FeatureWithWideRange_IsWidenedByMarginTimesItsRange()
    {
        // range 4 beats the floor 0.05 × 6 = 0.3; a feature that is not a fraction may cross zero.
        var (min, max) = Widened("load_average", 2, 6, margin: 1);

        Assert.Equal(-2, min, 12);
        Assert.Equal(10, max, 12);
    }

    [Fact]
    public void ConstantFeature_GetsTheFloorAsItsRange_AndAConstantAtZeroOfNoKnownUnitStaysConstant()
    {
        // pad 1 × max(0, 0.05 × 1000) = 50.
        var (min, max) = Widened("node_memory_MemTotal_bytes", 1000, 1000, margin: 1);
        Assert.Equal(950, min, 9);
        Assert.Equal(1050, max, 9);
        Assert.Equal((0.0, 0.0), Widened("errors", 0, 0, margin: 3));
    }

    [Fact]
    public void CpuFractionNearZero_GetsTheFloorOfAWholeCpu()
    {
        // softirq 0..0.004 over quiet minutes: pad 2 × max(0.004, 0.05 × 1) = 0.1 → 0..0.104 (clamped at 0), so a
        // tick of jitter (0.02) is a fifth of the band rather than five times the fitted range.
        var (min, max) = Widened("cpu_0_softirq", 0, 0.004, margin: 2);
        Assert.Equal(0.0, min);
        Assert.Equal(0.104, max, 12);

        // A mode never seen at all (steal on bare metal) gets the same room: 3 × 0.05.
        var (stealMin, stealMax) = Widened("cpu_0_steal", 0, 0, margin: 3);
        Assert.Equal(0.0, stealMin);
        Assert.Equal(0.15, stealMax, 12);
    }

    [Fact]
    public void ByteGauges_ShareTheLargestByteGaugeAsTheirScale()
    {
        // Buffers 10..10.5 MiB beside MemTotal 24 GiB: scale 24 GiB, pad 2 × 0.05 × 24 GiB = 2.4 GiB for both;
        // Buffers' own size would have given it 2 × 0.05 × 10.5 MiB = 1.05 MiB, less than a page-cache flush.
        const double MiB = 1 << 20, GiB = 1 << 30;
        var widened = RangeWidening.Widen(
            Fitted((10 * MiB, 10.5 * MiB), (24 * GiB, 24 * GiB), (0.4, 0.5)),
            ["node_memory_Buffers_bytes", "node_memory_MemTotal_bytes", "load1"], margin: 2, floor: 0.05);

        Assert.Equal(0, widened.Min[0]);
        Assert.Equal(10.5 * MiB + 2.4 * GiB, widened.Max[0], 1e-3);
        Assert.Equal(21.6 * GiB, widened.Min[1], 1e-3);
        Assert.Equal(26.4 * GiB, widened.Max[1], 1e-3);
        // A feature of no known unit keeps its own scale: pad 2 × max(0.1, 0.05 × 0.5) = 0.2.
        Assert.Equal(0.2, widened.Min[2], 12);
        Assert.Equal(0.7, widened.Max[2], 12);
    }

    [Fact]
    public void CpuFractions_AreClampedToZeroAndOne()
    {
        // idle 0.90..0.98: pad 1 × 0.08 → 0.82..1.06, clamped to 1.
        var (idleMin, idleMax) = Widened("cpu_0_idle", 0.90, 0.98, margin: 1);
        Assert.Equal(0.82, idleMin, 12);
        Assert.Equal(1.0, idleMax);

        // user 0.01..0.10: pad 2 × 0.09 → -0.17..0.28, clamped to 0.
        var (userMin, userMax) = Widened("cpu_12_user", 0.01, 0.10, margin: 2);
        Assert.Equal(0.0, userMin);
        Assert.Equal(0.28, userMax, 12);
    }

    [Fact]
    public void CpuFraction_ObservedBeyondOne_KeepsWhatWasObserved()
    {
        // node_exporter can report an interval's idle a little over 1; the clamp never cuts into observed values.
        var (min, max) = Widened("cpu_1_idle", 0.95, 1.02, margin: 1);

        Assert.Equal(0.88, min, 12);
        Assert.Equal(1.02, max, 12);
    }

    [Fact]
    public void FloorZero_WidensByTheRangeAlone()
    {
        var (min, max) = Widened("memory_used_bytes", 100, 110, margin: 1, floor: 0);

        Assert.Equal(90, min, 12);
        Assert.Equal(120, max, 12);
    }

    [Fact]
    public void EachFeatureIsWidenedByItsOwnRange()
    {
        var widened = RangeWidening.Widen(Fitted((0.5, 0.6), (100, 140)), ["cpu_0_user", "node_memory_Cached_bytes"], margin: 0.5, floor: 0.05);

        // cpu: pad 0.5 × max(0.1, 0.03) = 0.05; cached: pad 0.5 × max(40, 7) = 20.
        Assert.Equal(0.45, widened.Min[0], 12);
        Assert.Equal(0.65, widened.Max[0], 12);
        Assert.Equal(80, widened.Min[1], 12);
        Assert.Equal(160, widened.Max[1], 12);
    }

    [Fact]
    public void ByteGauge_WithWideRange_IsClampedAtZero_OtherFeaturesAreNot()
    {
        // memory_used 960..1890 MiB while other work comes and goes: pad 2 × 930 = 1860 MiB, so -900..3750, clamped to 0.
        var (min, max) = Widened("memory_used_bytes", 960, 1890, margin: 2);
        Assert.Equal(0, min);
        Assert.Equal(3750, max, 9);

        // The same numbers for a feature of no known unit keep the negative side.
        Assert.Equal(-900, Widened("temperature", 960, 1890, margin: 2).Min, 9);
    }

    [Theory]
    [InlineData("cpu_0_idle", true)]
    [InlineData("cpu_17_softirq", true)]
    [InlineData("cpu_0_guest", false)]
    [InlineData("cpu_x_idle", false)]
    [InlineData("memory_used_bytes", false)]
    [InlineData("node_cpu_0_idle", false)]
    public void IsFraction_KnowsTheCollectorsCpuModeFeatures(string feature, bool expected) =>
        Assert.Equal(expected, RangeWidening.IsFraction(feature));

    [Theory]
    [InlineData(-0.5, 0.05)]
    [InlineData(double.NaN, 0.05)]
    [InlineData(double.PositiveInfinity, 0.05)]
    [InlineData(1, -0.01)]
    public void NegativeOrNonFiniteMarginOrFloor_IsRejected(double margin, double floor) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RangeWidening.Widen(Fitted((0, 1)), ["a"], margin, floor));

    [Fact]
    public void FeatureCountMismatch_IsRejected() =>
        Assert.Throws<ArgumentException>(() => RangeWidening.Widen(Fitted((0, 1)), ["a", "b"], 1, 0.05));
}
