using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnomalyApi.Contracts.Json;

/// <summary>
/// Reads a feature value as a finite float32 and nothing else: no strings (so no "NaN", "Infinity" or "1.5"),
/// no null, and no number beyond float range (System.Text.Json would turn 1e39 into infinity).
/// </summary>
public static class StrictSingle
{
    public static bool TryRead(ref Utf8JsonReader reader, out float value, out string? error)
    {
        value = 0;
        error = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (FastSingle.TryGetSingle(ref reader, out value) && float.IsFinite(value))
                {
                    return true;
                }
                error = $"{Raw(ref reader)} is outside the float32 range (±{float.MaxValue:R})";
                return false;
            case JsonTokenType.String:
                var text = reader.GetString() ?? "";
                error = IsNamedLiteral(text)
                    ? $"'{Truncate(text)}' is not allowed: values must be finite numbers"
                    : $"must be a number, not a string ('{Truncate(text)}')";
                return false;
            default:
                error = $"must be a number, not {Describe(reader.TokenType)}";
                return false;
        }
    }

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static bool IsNamedLiteral(string text)
    {
        var trimmed = text.Trim().TrimStart('+', '-');
        return trimmed.Equals("NaN", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("Infinity", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("Inf", StringComparison.OrdinalIgnoreCase)
            || trimmed == "∞";
    }

    private static string Raw(ref Utf8JsonReader reader) =>
        Truncate(System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan));

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

/// <summary>The converter every float in a request goes through: see <see cref="StrictSingle"/>.</summary>
public sealed class StrictSingleConverter : JsonConverter<float>
{
    // Called for null too, so that null gets the same message as any other non-number.
    public override bool HandleNull => true;

    public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        StrictSingle.TryRead(ref reader, out var value, out var error) ? value : throw new JsonFieldException("", error!);

    public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
