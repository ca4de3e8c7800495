namespace AnomalyApi.Core.Configuration;

/// <summary>
/// The contents of a model's <c>model_config.json</c>: which features the model reads, in which order,
/// how raw values are normalised and where the anomaly threshold lies. Instances are validated by
/// <see cref="ModelConfigReader"/>, so every array has one entry per feature.
/// </summary>
/// <param name="ModelName">Human-readable model name (<c>model_name</c>).</param>
/// <param name="ModelVersion">Optional version string (<c>model_version</c>).</param>
/// <param name="InputName">Name of the ONNX input tensor (<c>input_name</c>).</param>
/// <param name="OutputName">Name of the ONNX output tensor (<c>output_name</c>).</param>
/// <param name="Features">Feature names in the order of the tensor's last dimension.</param>
/// <param name="Normalization">Min-max parameters, one per feature.</param>
/// <param name="Threshold">An RMSE above this is an anomaly.</param>
public sealed record ModelConfig(
    string ModelName,
    string? ModelVersion,
    string InputName,
    string OutputName,
    IReadOnlyList<string> Features,
    MinMaxNormalization Normalization,
    double Threshold)
{
    /// <summary>Number of features (F): the width of every row.</summary>
    public int FeatureCount => Features.Count;
}

/// <summary>The <c>normalization</c> block: x_norm = (x - min) / (max - min), optionally clamped to [0, 1].</summary>
/// <param name="Min">Per-feature minimum seen in training.</param>
/// <param name="Max">Per-feature maximum seen in training.</param>
/// <param name="Clip">Whether normalised values are clamped to [0, 1].</param>
public sealed record MinMaxNormalization(IReadOnlyList<double> Min, IReadOnlyList<double> Max, bool Clip)
{
    /// <summary>The only normalisation type this service knows.</summary>
    public const string TypeName = "minmax";
}
