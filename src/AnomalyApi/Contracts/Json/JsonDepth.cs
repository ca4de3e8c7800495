using System.Text.Json;

namespace AnomalyApi.Contracts.Json;

/// <summary>Nesting depth of a JSON text, as <see cref="JsonReaderOptions.MaxDepth"/> counts it.</summary>
public static class JsonDepth
{
    /// <summary>
    /// Whether <paramref name="json"/> opens an object or array inside <paramref name="maxDepth"/> others, which a
    /// reader limited to <paramref name="maxDepth"/> refuses. Malformed text before that point is not "too deep".
    /// </summary>
    public static bool Exceeds(ReadOnlySpan<byte> json, int maxDepth)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= maxDepth)
                {
                    return true;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed before any too-deep container: the caller reports the syntax error instead.
        }
        return false;
    }
}
