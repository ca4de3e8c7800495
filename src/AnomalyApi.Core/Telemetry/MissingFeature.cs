namespace AnomalyApi.Core.Telemetry;

/// <summary>A model feature that could not be built from the scrapes, and why, in words.</summary>
/// <param name="Feature">The feature name, e.g. <c>cpu_3_idle</c>.</param>
/// <param name="Reason">Why it is missing, e.g. which series the exporter does not export.</param>
public sealed record MissingFeature(string Feature, string Reason)
{
    /// <summary><c>feature: reason</c>, ready for a health report or a log line.</summary>
    public override string ToString() => $"{Feature}: {Reason}";
}
