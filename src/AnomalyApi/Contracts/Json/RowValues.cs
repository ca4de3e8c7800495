using System.Text.Json;

namespace AnomalyApi.Contracts.Json;

/// <summary>
/// The fast readers' shared step: one JSON array of a row's values, in the model's order, read straight into a span.
/// Accepts only what the strict reading (StrictSingle) accepts without a word, so a false sends the body there.
/// </summary>
internal static class RowValues
{
    /// <summary>
    /// Reads exactly <paramref name="row"/>.Length numbers and the array's end, the reader standing on its start.
    /// </summary>
    /// <returns>False for anything else: fewer or more values, a non-number, a value outside float32.</returns>
    public static bool ReadOrdered(ref Utf8JsonReader reader, Span<float> row)
    {
        for (var i = 0; i < row.Length; i++)
        {
            if (!reader.Read() || !TryReadValue(ref reader, out row[i]))
            {
                return false;
            }
        }
        return reader.Read() && reader.TokenType == JsonTokenType.EndArray;
    }

    /// <summary>StrictSingle's rule: a JSON number that is a finite float32.</summary>
    public static bool TryReadValue(ref Utf8JsonReader reader, out float value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && FastSingle.TryGetSingle(ref reader, out value) && float.IsFinite(value);
    }
}
