using System.Text.Json.Serialization;

namespace AnomalyApi.Contracts;

/// <summary>The score of one row.</summary>
/// <param name="Id">For /predict/csv: the row's non-feature columns (e.g. its timestamp); absent otherwise.</param>
/// <param name="Rmse">sqrt(mean((x_norm - reconstruction)^2)): the anomaly score.</param>
/// <param name="IsAnomaly">The label under Scoring:Adaptive:Rule (by default: <paramref name="Rmse"/> above <paramref name="Threshold"/>).</param>
/// <param name="Threshold">The model's (static) threshold.</param>
/// <param name="AdaptiveThreshold">The quantile of recent scores this row was judged against; null when Scoring:Adaptive is off or not yet trusted.</param>
/// <param name="Reconstruction">The model's output, in normalized space, in the model's feature order.</param>
/// <param name="TopFeatures">The features with the largest squared error, largest first.</param>
public sealed record PredictionResult(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    double Rmse,
    bool IsAnomaly,
    double Threshold,
    double? AdaptiveThreshold,
    float[] Reconstruction,
    IReadOnlyList<TopFeature> TopFeatures);

/// <summary>A feature's contribution to a score.</summary>
/// <param name="Name">The feature.</param>
/// <param name="Error">Its squared reconstruction error, in normalized space.</param>
public sealed record TopFeature(string Name, float Error);

/// <summary>The scores of a batch, in request order.</summary>
/// <param name="Results">One result per row.</param>
/// <param name="AnomalyCount">How many rows are anomalies.</param>
public sealed record BatchPredictionResponse(IReadOnlyList<PredictionResult> Results, int AnomalyCount);

/// <summary>GET /model: what is being served, and why the latest reload failed (null when it did not).</summary>
public sealed record ModelInfoResponse(
    string Name,
    string? Version,
    IReadOnlyList<string> Features,
    int FeatureCount,
    double Threshold,
    bool Clip,
    string InputName,
    string OutputName,
    long? Opset,
    string Sha256,
    DateTimeOffset LoadedAt,
    ModelReloadErrorResponse? LastReloadError);
