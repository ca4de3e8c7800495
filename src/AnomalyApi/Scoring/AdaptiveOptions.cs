using AnomalyApi.Core.Scoring.Adaptive;

namespace AnomalyApi.Scoring;

/// <summary>The <c>Scoring:Adaptive</c> section: a quantile of recent scores as a second threshold (issue 5).</summary>
public sealed class AdaptiveOptions
{
    public const string SectionName = "Scoring:Adaptive";

    /// <summary>Whether to track the adaptive threshold; when off, labels are by the model's threshold alone.</summary>
    public bool Enabled { get; set; }

    /// <summary>The quantile of recent scores that becomes the adaptive threshold, strictly between 0 and 1.</summary>
    public double Quantile { get; set; } = 0.99;

    /// <summary>How many recent scores the quantile is taken over (5760 is one day at 15 s).</summary>
    public int Window { get; set; } = 5760;

    /// <summary>Scores seen before the adaptive threshold is trusted; until then every rule is the static one.</summary>
    public int MinObservations { get; set; } = 100;

    /// <summary>Which threshold labels a score: Static, Adaptive or Either.</summary>
    public AnomalyRule Rule { get; set; } = AnomalyRule.Static;

    public AdaptiveThresholdOptions ToCore() => new()
    {
        Enabled = Enabled,
        Quantile = Quantile,
        Window = Window,
        MinObservations = MinObservations,
        Rule = Rule,
    };
}
