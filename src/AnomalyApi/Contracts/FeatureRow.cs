using System.Text.Json;
using System.Text.Json.Serialization;
using AnomalyApi.Contracts.Json;

namespace AnomalyApi.Contracts;

/// <summary>
/// One row of a batch, in either form the API accepts: an array of values in the model's order, or an object
/// naming each feature. Named values keep duplicates, so the validator can name them.
/// </summary>
[JsonConverter(typeof(FeatureRowJsonConverter))]
public sealed class FeatureRow
{
    private FeatureRow(float[]? ordered, IReadOnlyList<KeyValuePair<string, float>>? named)
    {
        Ordered = ordered;
        Named = named;
    }

    /// <summary>Values in the model's feature order, when the row was an array.</summary>
    public float[]? Ordered { get; }

    /// <summary>Name/value pairs in the order sent, when the row was an object.</summary>
    public IReadOnlyList<KeyValuePair<string, float>>? Named { get; }

    public static FeatureRow FromValues(float[] values) => new(values, null);

    public static FeatureRow FromNamed(IReadOnlyList<KeyValuePair<string, float>> values) => new(null, values);
}

/// <summary>Reads a <see cref="FeatureRow"/> strictly, naming the offending element in the error's path.</summary>
public sealed class FeatureRowJsonConverter : JsonConverter<FeatureRow>
{
    public override bool HandleNull => true;

    public override FeatureRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartArray:
                var values = new List<float>(64);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    values.Add(StrictSingle.TryRead(ref reader, out var value, out var error)
                        ? value
                        : throw new JsonFieldException($"[{values.Count}]", error!));
                }
                return FeatureRow.FromValues([.. values]);
            case JsonTokenType.StartObject:
                var named = new List<KeyValuePair<string, float>>(64);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    named.Add(new(name, StrictSingle.TryRead(ref reader, out var value, out var error)
                        ? value
                        : throw new JsonFieldException(JsonPaths.Member(name), error!)));
                }
                return FeatureRow.FromNamed(named);
            default:
                throw new JsonFieldException("",
                    $"must be an array of numbers or an object of feature values, not {StrictSingle.Describe(reader.TokenType)}");
        }
    }

    public override void Write(Utf8JsonWriter writer, FeatureRow value, JsonSerializerOptions options)
    {
        if (value.Ordered is { } ordered)
        {
            writer.WriteStartArray();
            foreach (var item in ordered)
            {
                writer.WriteNumberValue(item);
            }
            writer.WriteEndArray();
            return;
        }
        writer.WriteStartObject();
        foreach (var (name, item) in value.Named ?? [])
        {
            writer.WriteNumber(name, item);
        }
        writer.WriteEndObject();
    }
}
