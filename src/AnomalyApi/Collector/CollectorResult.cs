using AnomalyApi.Contracts;

namespace AnomalyApi.Collector;

/// <summary>One vector the collector scored.</summary>
/// <param name="At">When the vector was read: the second node_exporter scrape finishing, or Prometheus's evaluation time.</param>
/// <param name="Features">The raw feature values, by name, in the model's order.</param>
public sealed record CollectorResult(
    DateTimeOffset At,
    double Rmse,
    bool IsAnomaly,
    double Threshold,
    double? AdaptiveThreshold,
    IReadOnlyList<TopFeature> TopFeatures,
    IReadOnlyDictionary<string, float> Features);

/// <summary>GET /collector/recent: the collector's settings, its state in words, and its latest results, newest first.</summary>
public sealed record CollectorRecentResponse(
    bool Enabled,
    string Source,
    string Url,
    DateTimeOffset? LastSuccessAt,
    string? Problem,
    DateTimeOffset? ProblemSince,
    IReadOnlyList<CollectorResult> Results);
