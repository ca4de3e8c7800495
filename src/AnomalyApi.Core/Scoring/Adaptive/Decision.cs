namespace AnomalyApi.Core.Scoring.Adaptive;

/// <summary>The verdict on one score.</summary>
/// <param name="IsAnomaly">Whether the score is an anomaly under the configured rule.</param>
/// <param name="AdaptiveThreshold">
/// The adaptive threshold the score was judged against (from the scores before it), or null when adaptive
/// tracking is off or not yet trusted.
/// </param>
public readonly record struct Decision(bool IsAnomaly, double? AdaptiveThreshold);
