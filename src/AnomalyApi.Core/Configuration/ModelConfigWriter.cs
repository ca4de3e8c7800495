using System.Text.Json;
using System.Text.Json.Nodes;

namespace AnomalyApi.Core.Configuration;

/// <summary>
/// Writes <c>model_config.json</c> in the schema <see cref="ModelConfigReader"/> reads, plus any extra
/// top-level keys the caller adds (the trainer records <c>threshold_method</c> and <c>training</c>).
/// Numbers are written in their shortest round-trip form, so reading the file back gives the same doubles.
/// </summary>
public static class ModelConfigWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true };

    /// <summary>Writes <paramref name="config"/> to <paramref name="path"/>, replacing the file.</summary>
    public static void Write(string path, ModelConfig config, JsonObject? extra = null)
    {
        using var stream = File.Create(path);
        Write(stream, config, extra);
    }

    /// <summary>Writes <paramref name="config"/> as indented UTF-8 JSON to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, ModelConfig config, JsonObject? extra = null)
    {
        using var writer = new Utf8JsonWriter(stream, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString(ModelConfigKeys.ModelName, config.ModelName);
        if (config.ModelVersion is not null)
        {
            writer.WriteString(ModelConfigKeys.ModelVersion, config.ModelVersion);
        }
        writer.WriteString(ModelConfigKeys.InputName, config.InputName);
        writer.WriteString(ModelConfigKeys.OutputName, config.OutputName);

        writer.WriteStartArray(ModelConfigKeys.Features);
        foreach (var feature in config.Features)
        {
            writer.WriteStringValue(feature);
        }
        writer.WriteEndArray();

        writer.WriteStartObject(ModelConfigKeys.Normalization);
        writer.WriteString("type", MinMaxNormalization.TypeName);
        WriteNumbers(writer, "min", config.Normalization.Min);
        WriteNumbers(writer, "max", config.Normalization.Max);
        writer.WriteBoolean("clip", config.Normalization.Clip);
        writer.WriteEndObject();

        writer.WriteNumber(ModelConfigKeys.Threshold, config.Threshold);

        foreach (var (key, value) in extra ?? [])
        {
            writer.WritePropertyName(key);
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        }
        writer.WriteEndObject();
    }

    private static void WriteNumbers(Utf8JsonWriter writer, string name, IReadOnlyList<double> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteNumberValue(value);
        }
        writer.WriteEndArray();
    }
}
