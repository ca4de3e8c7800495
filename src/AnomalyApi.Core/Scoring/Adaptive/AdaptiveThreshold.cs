namespace AnomalyApi.Core.Scoring.Adaptive;

/// <summary>
/// Labels reconstruction errors by the model's static threshold, by a quantile of recent scores, or by
/// either, as the streaming seed's quantile filter does. Safe to call from the collector and request
/// threads at once.
/// </summary>
/// <remarks>
/// <para>
/// Each score is judged against the quantile of the scores before it and only then added, as the seed
/// classifies before it learns: a spike must not raise its own bar.
/// </para>
/// <para>
/// Scores judged anomalous are added too, as the seed's quantile filter does. The cost: under
/// <see cref="AnomalyRule.Adaptive"/> a persistent shift stops being flagged once it fills more than
/// 1 - <see cref="AdaptiveThresholdOptions.Quantile"/> of the window (about 58 scores, 15 minutes, at the
/// defaults), so it becomes the new normal. That is the point of an adaptive threshold on a machine whose
/// workload changes; <see cref="AnomalyRule.Either"/> keeps the static threshold as a floor for those who
/// want a lasting shift to stay flagged. Leaving anomalies out would instead freeze the threshold at the
/// first sustained change and flag it forever, turning the adaptive rule into a second static one.
/// </para>
/// </remarks>
public sealed class AdaptiveThreshold
{
    private readonly Lock _gate = new();
    private readonly RecentQuantile? _recent;
    private long _count;

    /// <summary>Creates a threshold for one model.</summary>
    /// <param name="staticThreshold">The model's threshold: a score strictly greater is an anomaly.</param>
    /// <param name="options">How the adaptive part is tracked and used.</param>
    /// <exception cref="ArgumentException">The static threshold is not finite or an option is out of range.</exception>
    public AdaptiveThreshold(double staticThreshold, AdaptiveThresholdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ExactQuantile.CheckFinite(staticThreshold, nameof(staticThreshold));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MinObservations, nameof(options.MinObservations));
        if (!Enum.IsDefined(options.Rule))
            throw new ArgumentOutOfRangeException(nameof(options), options.Rule, "Unknown anomaly rule.");

        StaticThreshold = staticThreshold;
        Options = options;
        if (options.Enabled)
            _recent = new RecentQuantile(options.Quantile, options.Window);
    }

    /// <summary>The model's threshold.</summary>
    public double StaticThreshold { get; }

    /// <summary>The options this threshold was created with.</summary>
    public AdaptiveThresholdOptions Options { get; }

    /// <summary>How many scores have been observed.</summary>
    public long Count
    {
        get
        {
            lock (_gate)
                return _count;
        }
    }

    /// <summary>
    /// The adaptive threshold the next score will be judged against (the value to export as
    /// anomaly_adaptive_threshold), or null when tracking is off or fewer than
    /// <see cref="AdaptiveThresholdOptions.MinObservations"/> scores have been seen.
    /// </summary>
    public double? Current
    {
        get
        {
            lock (_gate)
                return TrustedQuantile();
        }
    }

    /// <summary>Judges one score under the configured rule, then adds it to the recent scores.</summary>
    /// <param name="rmse">The reconstruction error of one feature vector.</param>
    /// <returns>Whether it is an anomaly, and the adaptive threshold it was judged against.</returns>
    /// <exception cref="ArgumentException"><paramref name="rmse"/> is NaN or infinite.</exception>
    public Decision Observe(double rmse)
    {
        ExactQuantile.CheckFinite(rmse, nameof(rmse));

        lock (_gate)
        {
            var adaptive = TrustedQuantile();
            var aboveStatic = rmse > StaticThreshold;

            // Until the adaptive threshold is trusted every rule falls back to the static one.
            var isAnomaly = adaptive is not { } bar
                ? aboveStatic
                : Options.Rule switch
                {
                    AnomalyRule.Adaptive => rmse > bar,
                    AnomalyRule.Either => aboveStatic || rmse > bar,
                    _ => aboveStatic,
                };

            _recent?.Add(rmse);
            _count++;
            return new Decision(isAnomaly, adaptive);
        }
    }

    private double? TrustedQuantile() =>
        _recent is not null && _count >= Math.Max(1, Options.MinObservations) ? _recent.Estimate : null;
}
