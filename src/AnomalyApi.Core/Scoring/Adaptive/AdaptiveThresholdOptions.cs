namespace AnomalyApi.Core.Scoring.Adaptive;

/// <summary>How the adaptive threshold is tracked and used.</summary>
public sealed record AdaptiveThresholdOptions
{
    /// <summary>Whether to track the adaptive threshold at all; when off, labelling is by the static threshold.</summary>
    public bool Enabled { get; init; }

    /// <summary>The quantile of recent scores that becomes the adaptive threshold, strictly between 0 and 1.</summary>
    public double Quantile { get; init; } = 0.99;

    /// <summary>How many recent scores the quantile is taken over: 5,760 is one day at a 15 s interval.</summary>
    public int Window { get; init; } = 5760;

    /// <summary>
    /// How many scores must have been seen before the adaptive threshold is trusted. Below it the adaptive
    /// value is reported as null and every rule labels by the static threshold: the 99th percentile of a
    /// handful of scores is just their maximum.
    /// </summary>
    public int MinObservations { get; init; } = 100;

    /// <summary>Which threshold labels a score as an anomaly.</summary>
    public AnomalyRule Rule { get; init; } = AnomalyRule.Static;
}
