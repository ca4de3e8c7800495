namespace AnomalyApi.Core.Telemetry;

/// <summary>
/// A feature vector built from two node_exporter scrapes, in the model's order. Features that could not
/// be built are NaN in <see cref="Values"/> and listed in <see cref="Missing"/>; a vector with any
/// missing feature must not be scored.
/// </summary>
/// <param name="Values">One value per model feature, in the model's order.</param>
/// <param name="Missing">The features that could not be built, with the reason for each.</param>
public sealed record NodeFeatureResult(float[] Values, IReadOnlyList<MissingFeature> Missing)
{
    /// <summary>True when every feature was built.</summary>
    public bool IsComplete => Missing.Count == 0;
}
