using AnomalyApi.Trainer.Training;

namespace AnomalyApi.Trainer.Building;

/// <summary>What <c>train</c> was asked to build.</summary>
/// <param name="DataPath">CSV of normal telemetry with a header row.</param>
/// <param name="OutputDirectory">Where autoencoder.onnx, model_config.json and the report go.</param>
/// <param name="Features">Feature columns in model order; null means every column but the non-feature ones.</param>
/// <param name="Training">Network training settings (epochs, seed, …).</param>
/// <param name="ThresholdMethod">p95, p99, mean3sd or auto.</param>
/// <param name="Clip">Whether the served model clamps normalised values to [0, 1].</param>
/// <param name="ModelName">model_name in the config.</param>
/// <param name="ModelVersion">model_version in the config, if any.</param>
/// <param name="RangeMargin">How far to widen each feature's fitted min/max, see <see cref="RangeWidening"/>; 0 widens nothing.</param>
/// <param name="RangeFloor">The smallest range the margin is taken of, as a fraction of the feature's magnitude.</param>
public sealed record BuildRequest(
    string DataPath,
    string OutputDirectory,
    IReadOnlyList<string>? Features,
    TrainingOptions Training,
    string ThresholdMethod,
    bool Clip,
    string ModelName,
    string? ModelVersion,
    double RangeMargin = 0,
    double RangeFloor = RangeWidening.DefaultFloor)
{
    /// <summary>
    /// Columns that are never features when <see cref="Features"/> is not given: the row's time and the
    /// label column the <c>synth --anomalies</c> and <c>evaluate</c> files carry.
    /// </summary>
    public static readonly IReadOnlySet<string> NonFeatureColumns =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "timestamp", "time", "id", "label" };
}
