namespace AnomalyApi.Core.Configuration;

/// <summary>The JSON keys of <c>model_config.json</c>, shared by the reader and the writer.</summary>
public static class ModelConfigKeys
{
#pragma warning disable CS1591 // The names are the documentation.
    public const string ModelName = "model_name";
    public const string ModelVersion = "model_version";
    public const string InputName = "input_name";
    public const string OutputName = "output_name";
    public const string Features = "features";
    public const string Normalization = "normalization";
    public const string NormalizationType = "normalization.type";
    public const string NormalizationMin = "normalization.min";
    public const string NormalizationMax = "normalization.max";
    public const string NormalizationClip = "normalization.clip";
    public const string Threshold = "threshold";
#pragma warning restore CS1591
}
