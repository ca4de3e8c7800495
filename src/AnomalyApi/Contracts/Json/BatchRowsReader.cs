using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace AnomalyApi.Contracts.Json;

/// <summary>
/// The fast path for a /predict/batch body: one pass of a <see cref="Utf8JsonReader"/> straight into one pooled
/// buffer, with no row objects. It accepts only what the strict reading and the validator would accept without a
/// word (<c>{"instances":[...]}</c>, 1..max rows, each an array of every feature's finite float32 or an object naming
/// every feature once) and gives up on anything else, so that the strict reading (FeatureRowJsonConverter) reads
/// that body again and names the problem exactly as before.
/// </summary>
public static class BatchRowsReader
{
    // The body's nesting: the object, instances, a row.
    private const int Depth = 3;

    // Model feature names as UTF-8, matched against property names without decoding them.
    private static readonly ConditionalWeakTable<IReadOnlyList<string>, byte[][]> Utf8Names = [];

    /// <summary>The body's rows, or null when the body needs the strict reading.</summary>
    /// <param name="features">The request's model's features, in order.</param>
    /// <param name="maxRows">Scoring:MaxBatchSize: more rows is the validator's 413.</param>
    /// <param name="maxDepth">Limits:JsonMaxDepth, which a batch must fit in.</param>
    public static FeatureMatrix? TryRead(ReadOnlySpan<byte> json, IReadOnlyList<string> features, int maxRows, int maxDepth)
    {
        var featureCount = features.Count;
        if (maxDepth < Depth || featureCount == 0 || maxRows < 1)
        {
            return null;
        }
        var names = Utf8Names.GetValue(features, static list => [.. list.Select(static name => Encoding.UTF8.GetBytes(name))]);
        // The serializer's reader options (RequestJson: no comments, no trailing commas), so both accept the same syntax.
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        // About 10 bytes a value: a first guess at the row count, corrected by growing.
        var capacityRows = Math.Clamp(json.Length / (featureCount * 10) + 1, 1, maxRows);
        var buffer = ArrayPool<float>.Shared.Rent(capacityRows * featureCount);
        var rows = 0;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
                || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("instances"u8)
                || !reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return Fail(buffer);
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (rows == maxRows)
                {
                    return Fail(buffer);
                }
                if ((rows + 1) * featureCount > buffer.Length)
                {
                    var larger = ArrayPool<float>.Shared.Rent(Math.Min(rows * 2, maxRows) * featureCount);
                    buffer.AsSpan(0, rows * featureCount).CopyTo(larger);
                    ArrayPool<float>.Shared.Return(buffer);
                    buffer = larger;
                }
                var row = buffer.AsSpan(rows * featureCount, featureCount);
                var read = reader.TokenType switch
                {
                    JsonTokenType.StartArray => RowValues.ReadOrdered(ref reader, row),
                    JsonTokenType.StartObject => ReadNamed(ref reader, row, names),
                    _ => false,
                };
                if (!read)
                {
                    return Fail(buffer);
                }
                rows++;
            }
            // Exactly one property, and nothing after the object (Read throws on trailing garbage).
            if (rows == 0 || !reader.Read() || reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return Fail(buffer);
            }
        }
        catch (JsonException)
        {
            return Fail(buffer);
        }
        return new FeatureMatrix(buffer, rows, featureCount);
    }

    private static FeatureMatrix? Fail(float[] buffer)
    {
        ArrayPool<float>.Shared.Return(buffer);
        return null;
    }

    private static bool ReadNamed(ref Utf8JsonReader reader, Span<float> row, byte[][] names)
    {
        Span<bool> seen = row.Length <= 512 ? stackalloc bool[row.Length] : new bool[row.Length];
        seen.Clear();
        var count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Clients usually send the model's order: try the next feature before searching.
            var index = count < names.Length && reader.ValueTextEquals(names[count]) ? count : IndexOf(ref reader, names);
            if (index < 0 || seen[index] || !reader.Read() || !RowValues.TryReadValue(ref reader, out row[index]))
            {
                return false;
            }
            seen[index] = true;
            count++;
        }
        return reader.TokenType == JsonTokenType.EndObject && count == row.Length;
    }

    private static int IndexOf(ref Utf8JsonReader reader, byte[][] names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
