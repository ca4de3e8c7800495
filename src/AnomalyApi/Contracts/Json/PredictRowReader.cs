using System.Text.Json;

namespace AnomalyApi.Contracts.Json;

/// <summary>
/// The fast path for a /predict body in its common form, <c>{"features":[...]}</c> with every feature's finite
/// float32 in the model's order: one pass of a <see cref="Utf8JsonReader"/> straight into the row, with none of the
/// serializer's converter machinery. Anything else (another property, the <c>values</c> map, a wrong count, a
/// string, trailing data) gives null, so the strict reading reads the body again and names the problem as before.
/// </summary>
public static class PredictRowReader
{
    // The body's nesting: the object, the features array.
    private const int Depth = 2;

    /// <summary>The body's row, or null when the body needs the strict reading.</summary>
    /// <param name="featureCount">The request's model's feature count.</param>
    /// <param name="maxDepth">Limits:JsonMaxDepth, which the body must fit in.</param>
    public static float[]? TryRead(ReadOnlySpan<byte> json, int featureCount, int maxDepth)
    {
        if (maxDepth < Depth || featureCount == 0)
        {
            return null;
        }
        // The serializer's reader options (RequestJson: no comments, no trailing commas), so both accept the same syntax.
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        var row = new float[featureCount];
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject
                && reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("features"u8)
                && reader.Read() && reader.TokenType == JsonTokenType.StartArray
                && RowValues.ReadOrdered(ref reader, row)
                // Exactly one property, and nothing after the object (Read throws on trailing garbage).
                && reader.Read() && reader.TokenType == JsonTokenType.EndObject && !reader.Read()
                ? row
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
