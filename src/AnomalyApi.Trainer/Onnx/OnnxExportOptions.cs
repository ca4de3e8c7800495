using System.Reflection;

namespace AnomalyApi.Trainer.Onnx;

/// <summary>
/// How <see cref="OnnxModelWriter"/> names and stamps the exported model. The defaults match what the API
/// expects from model_config.json: input <c>x</c>, output <c>reconstruction</c>, opset 17.
/// </summary>
public sealed record OnnxExportOptions
{
    /// <summary>The lowest opset accepted: Gemm and Relu reached their current form in opset 13.</summary>
    public const int MinimumOpset = 13;

    /// <summary>The highest opset the writer knows an IR version for.</summary>
    public const int MaximumOpset = OnnxIrVersion.HighestKnownOpset;

    /// <summary>Name of the graph input, a float32 [batch, features] tensor.</summary>
    public string InputName { get; init; } = "x";

    /// <summary>Name of the graph output, a float32 [batch, features] tensor.</summary>
    public string OutputName { get; init; } = "reconstruction";

    /// <summary>Version of the default (ai.onnx) operator set to import; from 13 to <see cref="MaximumOpset"/>.</summary>
    public int Opset { get; init; } = 17;

    /// <summary>Written to ModelProto.producer_name.</summary>
    public string ProducerName { get; init; } = "anomaly-trainer";

    /// <summary>Written to ModelProto.producer_version; defaults to the trainer's assembly version.</summary>
    public string ProducerVersion { get; init; } = DefaultProducerVersion();

    /// <summary>Written to GraphProto.name.</summary>
    public string ModelName { get; init; } = "autoencoder";

    /// <summary>Written to ModelProto.doc_string when not empty.</summary>
    public string? DocString { get; init; }

    /// <summary>
    /// Extra key/value pairs written to ModelProto.metadata_props, readable at run time through
    /// ONNX Runtime's <c>ModelMetadata.CustomMetadataMap</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(InputName, nameof(InputName));
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputName, nameof(OutputName));
        ArgumentException.ThrowIfNullOrWhiteSpace(ProducerName, nameof(ProducerName));
        ArgumentNullException.ThrowIfNull(ProducerVersion, nameof(ProducerVersion));
        ArgumentException.ThrowIfNullOrWhiteSpace(ModelName, nameof(ModelName));
        if (InputName == OutputName)
        {
            throw new ArgumentException(
                $"InputName and OutputName must differ; both are '{InputName}'.", nameof(OutputName));
        }

        if (Opset is < MinimumOpset or > MaximumOpset)
        {
            throw new ArgumentOutOfRangeException(
                nameof(Opset), Opset, $"Opset must be between {MinimumOpset} and {MaximumOpset}.");
        }

        foreach (var (key, value) in Metadata ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrWhiteSpace(key) || value is null)
            {
                throw new ArgumentException("Metadata keys must be non-empty and values non-null.", nameof(Metadata));
            }
        }
    }

    private static string DefaultProducerVersion() =>
        typeof(OnnxExportOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
