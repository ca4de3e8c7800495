using AnomalyApi.Core.Features;

namespace AnomalyApi.Trainer.Synthesis;

/// <summary>
/// One CPU's eight modes. Normal behaviour is computed from the random stream on every row whatever the
/// disturbance, so injecting anomalies never shifts the baseline outside the episodes.
/// </summary>
internal sealed class CpuModel
{
    // Most load is user time; irq and softirq follow it; nice and steal are almost always zero.
    private const double BusyAmplitude = 0.35;
    private const double MaxBusy = 0.9;
    // Non-idle time never quite reaches the whole interval: node_exporter always sees some idle.
    private const double MaxNonIdle = 0.995;

    private static readonly int IdleIndex = FeatureIndex.Of(NodeFeatureNames.CpuModes, "idle");
    private static readonly int IowaitIndex = FeatureIndex.Of(NodeFeatureNames.CpuModes, "iowait");
    private static readonly int IrqIndex = FeatureIndex.Of(NodeFeatureNames.CpuModes, "irq");
    private static readonly int NiceIndex = FeatureIndex.Of(NodeFeatureNames.CpuModes, "nice");
    private static readonly int SoftirqIndex = FeatureIndex.Of(NodeFeatureNames.CpuModes, "softirq");
    private static readonly int StealIndex = FeatureIndex.Of(NodeFeatureNames.CpuModes, "steal");
    private static readonly int SystemIndex = FeatureIndex.Of(NodeFeatureNames.CpuModes, "system");
    private static readonly int UserIndex = FeatureIndex.Of(NodeFeatureNames.CpuModes, "user");

    private readonly double _baseBusy;
    private readonly double _userShare;
    private readonly Ar1Noise _busy;
    private readonly Ar1Noise _share;
    private readonly Ar1Noise _iowait;
    private readonly Ar1Noise _irq;
    private readonly Ar1Noise _softirq;
    private readonly Ar1Noise _nice;
    private readonly Ar1Noise _steal;

    public CpuModel(Random random)
    {
        // Small per-CPU differences: the scheduler never spreads load perfectly evenly.
        _baseBusy = 0.08 + 0.015 * random.NextGaussian();
        _userShare = 0.72 + 0.03 * random.NextGaussian();
        _busy = new Ar1Noise(random, phi: 0.9, std: 0.02);
        _share = new Ar1Noise(random, phi: 0.9, std: 0.02);
        _iowait = new Ar1Noise(random, phi: 0.8, std: 0.003);
        _irq = new Ar1Noise(random, phi: 0.8, std: 0.0003);
        _softirq = new Ar1Noise(random, phi: 0.8, std: 0.001);
        _nice = new Ar1Noise(random, phi: 0.9, std: 0.0004);
        _steal = new Ar1Noise(random, phi: 0.9, std: 0.0005);
    }

    /// <summary>Number of values <see cref="Next"/> writes.</summary>
    public static int Width => NodeFeatureNames.CpuModes.Count;

    /// <summary>Writes the modes for one interval in <see cref="NodeFeatureNames.CpuModes"/> order.</summary>
    /// <param name="random">The baseline stream.</param>
    /// <param name="load">The daily cycle, in [0, 1].</param>
    /// <param name="sharedBusy">Node-wide load noise, common to all CPUs.</param>
    /// <param name="disturbance">What an active episode imposes.</param>
    /// <param name="modes">Receives <see cref="Width"/> values.</param>
    public void Next(Random random, double load, double sharedBusy, CpuDisturbance disturbance, Span<double> modes)
    {
        var busy = Math.Clamp(_baseBusy + BusyAmplitude * load + sharedBusy + _busy.Next(random), 0.01, MaxBusy);
        var share = Math.Clamp(_userShare + _share.Next(random), 0.5, 0.9);
        var iowait = Math.Max(0, 0.004 + 0.008 * load + _iowait.Next(random));
        var irqNoise = _irq.Next(random);
        var softirqNoise = _softirq.Next(random);
        var nice = Math.Max(0, _nice.Next(random) - 0.0002);
        var steal = Math.Max(0, _steal.Next(random) - 0.0003);

        busy = disturbance.Busy ?? busy;
        var irq = Math.Max(0, 0.0005 + 0.002 * busy + irqNoise);
        var softirq = Math.Max(0, 0.002 + 0.01 * busy + softirqNoise);

        modes[UserIndex] = busy * share;
        modes[SystemIndex] = busy * (1 - share);
        modes[IowaitIndex] = iowait;
        modes[IrqIndex] = irq;
        modes[SoftirqIndex] = softirq;
        modes[NiceIndex] = nice;
        modes[StealIndex] = steal;

        var nonIdle = NonIdle(modes);
        if (nonIdle > MaxNonIdle)
        {
            Scale(modes, MaxNonIdle / nonIdle);
        }

        // Imposed iowait and steal take their share of the interval first; the normal modes shrink into
        // what is left, so every mode stays in [0, 1] and the sum stays below 1.
        var imposed = disturbance.Iowait + disturbance.Steal;
        if (imposed > 0)
        {
            Scale(modes, 1 - imposed);
            modes[IowaitIndex] += disturbance.Iowait;
            modes[StealIndex] += disturbance.Steal;
        }

        modes[IdleIndex] = 1 - NonIdle(modes);
    }

    private static double NonIdle(Span<double> modes)
    {
        var sum = 0.0;
        for (var i = 0; i < Width; i++)
        {
            if (i != IdleIndex)
            {
                sum += modes[i];
            }
        }
        return sum;
    }

    private static void Scale(Span<double> modes, double factor)
    {
        for (var i = 0; i < Width; i++)
        {
            if (i != IdleIndex)
            {
                modes[i] *= factor;
            }
        }
    }
}
