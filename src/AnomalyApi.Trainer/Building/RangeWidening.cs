using System.Text.RegularExpressions;
using AnomalyApi.Core.Configuration;
using AnomalyApi.Core.Features;

namespace AnomalyApi.Trainer.Building;

/// <summary>
/// Widens the min/max fitted on the training rows before they become the model's normalisation, so a short
/// recording does not define "normal" as exactly the values it happened to see.
/// </summary>
/// <remarks>
/// Each side of feature i moves out by <c>margin × max(max_i − min_i, floor × scale_i)</c>, where scale_i is the
/// size of the feature's unit on this machine:
/// <list type="bullet">
/// <item>CPU mode fractions (<c>cpu_N_mode</c>): 1, a whole CPU. A mode that idles near 0 (softirq, iowait) has a
/// fitted range of a few thousandths, and at a 1 s interval one tick of jitter (0.01 to 0.05) would otherwise go
/// far past it; with the floor it gets room of a few percent of a CPU, while a burn (user → 1) stays far outside.</item>
/// <item>Byte gauges (names ending in <c>_bytes</c>, Prometheus's unit suffix): the largest byte gauge of the model
/// (about the machine's memory). A small gauge such as Buffers (MiBs) measured against its own size would get
/// room of a few hundred KiB and be flagged for ordinary page-cache churn; measured against the machine's memory,
/// every memory gauge gets the same room (a few percent of RAM), and a GiB allocated still goes far past it.</item>
/// <item>Anything else: its own magnitude <c>max(|min_i|, |max_i|)</c>.</item>
/// </list>
/// So over a few quiet minutes, where a gauge barely moves, its normal band is a few percent of its unit's size,
/// its idle jitter is small beside the band and weighs little in the RMSE until it really moves. Features whose
/// range is already large next to that (a busy CPU's fractions) are widened by margin × range.
/// <para>
/// CPU mode fractions are then clamped to [0, 1], never narrower than what was observed: room beyond what a
/// fraction can reach would only squeeze the reachable values into less of [0, 1]; clamped, a CPU burn (idle → 0,
/// user → 1) still lands on the far edge of the normalised scale. Byte gauges are clamped below at 0 the same way.
/// </para>
/// A margin of 0 returns the fitted normalisation unchanged (the default: the shipped model is built so).
/// </remarks>
public static partial class RangeWidening
{
    /// <summary>The floor used when none is given: 5 % of the size of a feature's unit.</summary>
    public const double DefaultFloor = 0.05;

    /// <summary>
    /// The widened normalisation for <paramref name="features"/> (named in model order) from the
    /// <paramref name="fitted"/> min/max.
    /// </summary>
    /// <param name="fitted">Min and max observed in training.</param>
    /// <param name="features">Feature names, in the order of <paramref name="fitted"/>.</param>
    /// <param name="margin">Multiple of the (floored) range added on each side; 0 widens nothing.</param>
    /// <param name="floor">Smallest range the margin is taken of, as a fraction of the size of the feature's unit.</param>
    public static MinMaxNormalization Widen(MinMaxNormalization fitted, IReadOnlyList<string> features, double margin, double floor)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        ArgumentNullException.ThrowIfNull(features);
        Validate(margin, floor);
        if (fitted.Min.Count != features.Count || fitted.Max.Count != features.Count)
        {
            throw new ArgumentException($"{features.Count} features but {fitted.Min.Count} minima and {fitted.Max.Count} maxima", nameof(features));
        }
        if (margin == 0)
        {
            return fitted;
        }

        var byteScale = LargestByteGauge(fitted, features);
        var min = new double[features.Count];
        var max = new double[features.Count];
        for (var i = 0; i < features.Count; i++)
        {
            var (low, high) = (fitted.Min[i], fitted.Max[i]);
            var scale = IsFraction(features[i]) ? 1.0
                : IsByteGauge(features[i]) ? byteScale
                : Magnitude(low, high);
            var pad = margin * Math.Max(high - low, floor * scale);
            (min[i], max[i]) = (low - pad, high + pad);
            if (IsFraction(features[i]))
            {
                // Clamp what was added, never what was seen: a fraction slightly over 1 (node_exporter reads
                // the counters and the clock a moment apart) stays inside the range it came from.
                min[i] = Math.Max(min[i], Math.Min(low, 0.0));
                max[i] = Math.Min(max[i], Math.Max(high, 1.0));
            }
            else if (IsByteGauge(features[i]))
            {
                min[i] = Math.Max(min[i], Math.Min(low, 0.0));
            }
        }
        return fitted with { Min = min, Max = max };
    }

    /// <summary>The largest magnitude any byte gauge reached in training: the scale all byte gauges share (0 if none).</summary>
    private static double LargestByteGauge(MinMaxNormalization fitted, IReadOnlyList<string> features) =>
        features.Select((name, i) => IsByteGauge(name) ? Magnitude(fitted.Min[i], fitted.Max[i]) : 0.0).DefaultIfEmpty(0.0).Max();

    private static double Magnitude(double low, double high) => Math.Max(Math.Abs(low), Math.Abs(high));

    /// <summary>Throws when <paramref name="margin"/> or <paramref name="floor"/> is negative or not finite.</summary>
    public static void Validate(double margin, double floor)
    {
        if (!double.IsFinite(margin) || margin < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "--range-margin must be a finite number >= 0");
        }
        if (!double.IsFinite(floor) || floor < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(floor), floor, "--range-floor must be a finite number >= 0");
        }
    }

    /// <summary>Whether <paramref name="feature"/> is one of the collector's CPU mode fractions (<c>cpu_N_mode</c>).</summary>
    public static bool IsFraction(string feature) =>
        CpuModeFeature().Match(feature) is { Success: true } match && NodeFeatureNames.CpuModes.Contains(match.Groups["mode"].Value);

    /// <summary>Whether <paramref name="feature"/> is a size in bytes (Prometheus's <c>_bytes</c> unit suffix), which cannot be negative.</summary>
    public static bool IsByteGauge(string feature) => feature.EndsWith("_bytes", StringComparison.Ordinal);

    [GeneratedRegex(@"^cpu_\d+_(?<mode>[a-z]+)$")]
    private static partial Regex CpuModeFeature();
}
