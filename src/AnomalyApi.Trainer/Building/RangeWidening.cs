using System.Text.RegularExpressions;
using AnomalyApi.Core.Configuration;
using AnomalyApi.Core.Features;

namespace AnomalyApi.Trainer.Building;

/// <summary>
/// Widens the min/max fitted on the training rows before they become the model's normalisation, so a short
/// recording does not define "normal" as exactly the values it happened to see.
/// </summary>
/// <remarks>
/// Each side of feature i moves out by <c>margin × max(max_i − min_i, floor × max(|min_i|, |max_i|))</c>.
/// The relative floor is what matters for gauges that barely move over a few quiet minutes: memory in bytes
/// moves by a few MiB out of GiBs, so without it the fitted range is a few MiB wide, any slow drift (page cache
/// growth, a service's allocations) lands outside it, is clipped to 0 or 1 and looks like an anomaly. With it,
/// such a feature's normal band is a percentage of its own size, and its idle jitter becomes small beside the
/// band, so it weighs little in the RMSE until it really moves (a 2 GiB allocation still goes far past the band).
/// Features whose range is already large next to their size (CPU fractions) are widened by margin × range.
/// <para>
/// The collector's CPU mode features (<c>cpu_N_mode</c>) are fractions of the interval: the widened range is
/// clamped to [0, 1], never narrower than what was observed. Room beyond what a fraction can reach would only
/// squeeze the reachable values into less of [0, 1]; clamped, a CPU burn (idle → 0, user → 1) still lands on
/// the far edge of the normalised scale, as far from the idle cluster as the margin allows.
/// Byte gauges (names ending in <c>_bytes</c>, Prometheus's unit suffix) are clamped below at 0 the same way.
/// </para>
/// A margin of 0 returns the fitted normalisation unchanged (the default: the shipped model is built so).
/// </remarks>
public static partial class RangeWidening
{
    /// <summary>The floor used when none is given: 5 % of a feature's magnitude.</summary>
    public const double DefaultFloor = 0.05;

    /// <summary>
    /// The widened normalisation for <paramref name="features"/> (named in model order) from the
    /// <paramref name="fitted"/> min/max.
    /// </summary>
    /// <param name="fitted">Min and max observed in training.</param>
    /// <param name="features">Feature names, in the order of <paramref name="fitted"/>.</param>
    /// <param name="margin">Multiple of the (floored) range added on each side; 0 widens nothing.</param>
    /// <param name="floor">Smallest range the margin is taken of, as a fraction of the feature's magnitude.</param>
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

        var min = new double[features.Count];
        var max = new double[features.Count];
        for (var i = 0; i < features.Count; i++)
        {
            var (low, high) = (fitted.Min[i], fitted.Max[i]);
            var magnitude = Math.Max(Math.Abs(low), Math.Abs(high));
            var pad = margin * Math.Max(high - low, floor * magnitude);
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
