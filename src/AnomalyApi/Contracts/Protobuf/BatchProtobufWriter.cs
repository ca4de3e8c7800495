using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AnomalyApi.Scoring;
using Google.Protobuf;

namespace AnomalyApi.Contracts.Protobuf;

/// <summary>
/// Writes a <see cref="BatchResponse"/> straight from a <see cref="LabelledBatch"/>, field for field what the
/// generated class writes (the tests parse it with the generated parser), without a message object per row: built
/// from objects, a 256-row response allocated some 150 KB, enough garbage to take the service's RSS under sustained
/// load from 169 to 200 MB.
/// </summary>
public static class BatchProtobufWriter
{
    // (field number << 3) | wire type: 1 is 64-bit, 2 length-delimited, 5 is 32-bit, 0 a varint.
    private const uint ResultsTag = (1 << 3) | 2, AnomalyCountTag = (2 << 3) | 0;
    private const uint RmseTag = (1 << 3) | 1, IsAnomalyTag = (2 << 3) | 0, ThresholdTag = (3 << 3) | 1,
        AdaptiveThresholdTag = (4 << 3) | 1, ReconstructionTag = (5 << 3) | 2, TopFeaturesTag = (6 << 3) | 2;
    private const uint NameTag = (1 << 3) | 2, ErrorTag = (2 << 3) | 5;

    // A model's feature names as UTF-8, encoded once rather than on every row (a string field and a bytes field are
    // the same on the wire: the length, then the UTF-8).
    private static readonly ConditionalWeakTable<IReadOnlyList<string>, ByteString[]> Utf8Names = [];

    /// <summary>The message's bytes, in an array from the shared pool that the caller returns.</summary>
    /// <param name="features">The batch's model's features.</param>
    /// <param name="topFeatures">How many features each result lists (Scoring:TopFeatures).</param>
    public static (byte[] Buffer, int Length) Write(LabelledBatch batch, IReadOnlyList<string> features, int topFeatures)
    {
        var scores = batch.Scores;
        var names = Utf8Names.GetValue(features, static list => [.. list.Select(ByteString.CopyFromUtf8)]);
        var perRow = Math.Clamp(topFeatures, 0, scores.FeatureCount);
        var top = ArrayPool<int>.Shared.Rent(Math.Max(1, batch.Rows * perRow));
        var topCounts = ArrayPool<int>.Shared.Rent(Math.Max(1, batch.Rows));
        // Each result's size, needed twice (for the total and as its length prefix): computed once.
        var rowSizes = ArrayPool<int>.Shared.Rent(Math.Max(1, batch.Rows));
        try
        {
            var size = 0;
            for (var row = 0; row < batch.Rows; row++)
            {
                topCounts[row] = PredictionJsonWriter.SelectTop(scores.SquaredErrorRow(row), top.AsSpan(row * perRow, perRow));
                rowSizes[row] = PredictionSize(batch, row, names, top.AsSpan(row * perRow, topCounts[row]));
                size += LengthDelimitedSize(rowSizes[row]);
            }
            size += 1 + CodedOutputStream.ComputeUInt32Size((uint)batch.AnomalyCount);

            var buffer = ArrayPool<byte>.Shared.Rent(size);
            var output = new CodedOutputStream(buffer);
            // A packed float field is its values' little-endian bytes behind a length, which is what WriteBytes
            // writes: each row's reconstruction goes through this one wrapper in one copy, not value by value.
            var floats = new byte[4 * scores.FeatureCount];
            var floatBytes = UnsafeByteOperations.UnsafeWrap(floats);
            for (var row = 0; row < batch.Rows; row++)
            {
                var rowTop = top.AsSpan(row * perRow, topCounts[row]);
                output.WriteTag(ResultsTag);
                output.WriteLength(rowSizes[row]);
                WritePrediction(output, batch, row, names, rowTop, floats, floatBytes);
            }
            output.WriteTag(AnomalyCountTag);
            output.WriteUInt32((uint)batch.AnomalyCount);
            output.Flush();
            return (buffer, (int)output.Position);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(top);
            ArrayPool<int>.Shared.Return(topCounts);
            ArrayPool<int>.Shared.Return(rowSizes);
        }
    }

    private static int PredictionSize(LabelledBatch batch, int row, ByteString[] names, ReadOnlySpan<int> top)
    {
        var size = 9 + 2 + 9;   // rmse, is_anomaly, threshold: tag and value, always written
        if (batch.AdaptiveThreshold[row] is not null)
        {
            size += 9;
        }
        size += LengthDelimitedSize(4 * batch.Scores.FeatureCount);
        foreach (var feature in top)
        {
            size += LengthDelimitedSize(TopFeatureSize(names[feature]));
        }
        return size;
    }

    /// <param name="floats">Scratch for a row's reconstruction as bytes, which <paramref name="floatBytes"/> wraps.</param>
    private static void WritePrediction(CodedOutputStream output, LabelledBatch batch, int row, ByteString[] names, ReadOnlySpan<int> top,
        byte[] floats, ByteString floatBytes)
    {
        var scores = batch.Scores;
        output.WriteTag(RmseTag);
        output.WriteDouble(scores.Rmse[row]);
        output.WriteTag(IsAnomalyTag);
        output.WriteBool(batch.IsAnomaly[row]);
        output.WriteTag(ThresholdTag);
        output.WriteDouble(scores.Threshold);
        if (batch.AdaptiveThreshold[row] is { } adaptive)
        {
            output.WriteTag(AdaptiveThresholdTag);
            output.WriteDouble(adaptive);
        }
        var reconstruction = scores.ReconstructionRow(row);
        output.WriteTag(ReconstructionTag);
        if (BitConverter.IsLittleEndian)
        {
            // Protocol buffers are little-endian: on such a machine the floats' memory is the field's content.
            MemoryMarshal.AsBytes(reconstruction).CopyTo(floats);
            output.WriteBytes(floatBytes);
        }
        else
        {
            output.WriteLength(4 * reconstruction.Length);
            foreach (var value in reconstruction)
            {
                output.WriteFloat(value);
            }
        }
        var errors = scores.SquaredErrorRow(row);
        foreach (var feature in top)
        {
            var name = names[feature];
            output.WriteTag(TopFeaturesTag);
            output.WriteLength(TopFeatureSize(name));
            output.WriteTag(NameTag);
            output.WriteBytes(name);
            output.WriteTag(ErrorTag);
            output.WriteFloat(errors[feature]);
        }
    }

    private static int TopFeatureSize(ByteString name) => 1 + CodedOutputStream.ComputeBytesSize(name) + 1 + 4;

    // A length-delimited field's bytes: its tag (one byte for fields 1 to 15), the length as a varint, the content.
    private static int LengthDelimitedSize(int length) => 1 + CodedOutputStream.ComputeLengthSize(length) + length;
}
