using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AnomalyApi.Contracts.Json;
using AnomalyApi.Scoring;

namespace AnomalyApi.Contracts;

/// <summary>
/// Writes <see cref="PredictionResult"/> and <see cref="BatchPredictionResponse"/> JSON straight from a
/// <see cref="LabelledBatch"/>, with no per-row records: the same fields, order and number formatting as serializing
/// those records with the web defaults (the records stay the contract that Swagger describes, and the reference the
/// tests compare this writer against).
/// </summary>
public static class PredictionJsonWriter
{
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Rmse = JsonEncodedText.Encode("rmse");
    private static readonly JsonEncodedText IsAnomaly = JsonEncodedText.Encode("isAnomaly");
    private static readonly JsonEncodedText Threshold = JsonEncodedText.Encode("threshold");
    private static readonly JsonEncodedText AdaptiveThreshold = JsonEncodedText.Encode("adaptiveThreshold");
    private static readonly JsonEncodedText Reconstruction = JsonEncodedText.Encode("reconstruction");
    private static readonly JsonEncodedText TopFeatures = JsonEncodedText.Encode("topFeatures");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText Results = JsonEncodedText.Encode("results");
    private static readonly JsonEncodedText AnomalyCount = JsonEncodedText.Encode("anomalyCount");

    /// <summary>Compact, as the serializer writes; the writer's structure is fixed (and tested), so no validation.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    // A model's feature names, escaped once rather than on every row.
    private static readonly ConditionalWeakTable<IReadOnlyList<string>, JsonEncodedText[]> EncodedNames = [];

    /// <summary>The escaped form of <paramref name="features"/> (cached per list: pass the model's own list).</summary>
    public static JsonEncodedText[] Encode(IReadOnlyList<string> features) =>
        EncodedNames.GetValue(features, static list => [.. list.Select(static name => JsonEncodedText.Encode(name))]);

    /// <summary>Opens a batch response: <c>{"results":[</c>.</summary>
    public static void WriteBatchStart(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(Results);
    }

    /// <summary>Closes a batch response with its anomaly count.</summary>
    public static void WriteBatchEnd(Utf8JsonWriter writer, int anomalyCount)
    {
        writer.WriteEndArray();
        writer.WriteNumber(AnomalyCount, anomalyCount);
        writer.WriteEndObject();
    }

    /// <summary>One row's result object, as <see cref="PredictionResult"/> serializes.</summary>
    /// <param name="names">The batch's model's features, from <see cref="Encode"/>.</param>
    /// <param name="topFeatures">How many features topFeatures lists (Scoring:TopFeatures).</param>
    public static void WriteResult(Utf8JsonWriter writer, LabelledBatch batch, int row, ReadOnlySpan<JsonEncodedText> names,
        int topFeatures, string? id = null)
    {
        var scores = batch.Scores;
        writer.WriteStartObject();
        if (id is not null)
        {
            writer.WriteString(Id, id);
        }
        writer.WriteNumber(Rmse, scores.Rmse[row]);
        writer.WriteBoolean(IsAnomaly, batch.IsAnomaly[row]);
        writer.WriteNumber(Threshold, scores.Threshold);
        if (batch.AdaptiveThreshold[row] is { } adaptive)
        {
            writer.WriteNumber(AdaptiveThreshold, adaptive);
        }
        else
        {
            writer.WriteNull(AdaptiveThreshold);
        }

        writer.WritePropertyName(Reconstruction);
        WriteSingles(writer, scores.ReconstructionRow(row));

        var errors = scores.SquaredErrorRow(row);
        var count = Math.Clamp(topFeatures, 0, errors.Length);
        Span<int> top = count <= 256 ? stackalloc int[count] : new int[count];
        count = SelectTop(errors, top);
        writer.WriteStartArray(TopFeatures);
        foreach (var feature in top[..count])
        {
            writer.WriteStartObject();
            writer.WriteString(Name, names[feature]);
            writer.WritePropertyName(Error);
            WriteSingle(writer, errors[feature]);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// An array of floats as one raw JSON value: formatted side by side into one buffer and handed to the writer once,
    /// because the writer's bookkeeping per value (separator, state, room) cost more than formatting a float. When the
    /// fast formatter declines any value, the whole array goes value by value as before, so the text is the same.
    /// </summary>
    private static void WriteSingles(Utf8JsonWriter writer, ReadOnlySpan<float> values)
    {
        const int MaxBytesPerValue = 17;    // 16 for the number, 1 for its separator
        var capacity = 2 + values.Length * MaxBytesPerValue;
        byte[]? rented = null;
        Span<byte> text = capacity <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(capacity));
        try
        {
            var at = 0;
            text[at++] = (byte)'[';
            for (var i = 0; i < values.Length; i++)
            {
                if (i > 0)
                {
                    text[at++] = (byte)',';
                }
                if (!FastSingleFormat.TryFormat(values[i], text.Slice(at, 16), out var length))
                {
                    WriteSinglesOneByOne(writer, values);
                    return;
                }
                at += length;
            }
            text[at++] = (byte)']';
            writer.WriteRawValue(text[..at], skipInputValidation: true);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static void WriteSinglesOneByOne(Utf8JsonWriter writer, ReadOnlySpan<float> values)
    {
        writer.WriteStartArray();
        foreach (var value in values)
        {
            WriteSingle(writer, value);
        }
        writer.WriteEndArray();
    }

    // Floats are most of a response's bytes and most of its time: the fast formatter where it applies, with the
    // framework's text either way.
    private static void WriteSingle(Utf8JsonWriter writer, float value)
    {
        Span<byte> text = stackalloc byte[16];
        if (FastSingleFormat.TryFormat(value, text, out var length))
        {
            writer.WriteRawValue(text[..length], skipInputValidation: true);
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }

    /// <summary>
    /// The indices of the largest errors, largest first, ties in the model's order: the same insertion as
    /// ScoredBatch.TopFeatures, comparison for comparison, into a caller's span instead of a list of records.
    /// </summary>
    /// <returns>How many of <paramref name="top"/> were filled.</returns>
    internal static int SelectTop(ReadOnlySpan<float> errors, Span<int> top)
    {
        var capacity = top.Length;
        var filled = 0;
        for (var i = 0; i < errors.Length; i++)
        {
            var error = errors[i];
            if (filled == capacity && (capacity == 0 || error <= errors[top[filled - 1]]))
            {
                continue;
            }
            var at = filled;
            while (at > 0 && errors[top[at - 1]] < error)
            {
                at--;
            }
            // Insert at `at`, dropping the last when full.
            var end = Math.Min(filled, capacity - 1);
            for (var j = end; j > at; j--)
            {
                top[j] = top[j - 1];
            }
            top[at] = i;
            if (filled < capacity)
            {
                filled++;
            }
        }
        return filled;
    }
}
