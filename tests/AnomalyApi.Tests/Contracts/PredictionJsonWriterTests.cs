using System.Buffers;
using System.Text;
using System.Text.Json;
using AnomalyApi.Contracts;
using AnomalyApi.Core.Scoring;
using AnomalyApi.Scoring;

namespace AnomalyApi.Tests.Contracts;

/// <summary>
/// The batch response writer against the contract records it replaces at runtime: the same rows serialized as
/// <see cref="PredictionResult"/>/<see cref="BatchPredictionResponse"/> with the service's JSON options must give
/// the same bytes.
/// </summary>
public sealed class PredictionJsonWriterTests
{
    // As AddAnomalyApi configures the HTTP JSON options TypedResults.Ok writes with.
    private static readonly JsonSerializerOptions ResponseJson = CreateResponseJson();

    [Theory]
    [InlineData(0, false)]
    [InlineData(5, false)]
    [InlineData(5, true)]
    [InlineData(38, true)]
    [InlineData(100, false)]
    public void BatchResponse_IsByteForByteTheSerializedRecords(int topFeatures, bool withIds)
    {
        var rows = TestModel.Rows(40, seed: 3).Prepend(TestModel.NormalRow()).ToArray();
        var batch = Label(TestModel.Score(rows));
        string?[]? ids = withIds ? [.. Enumerable.Range(0, rows.Length).Select(i => i % 3 == 0 ? null : $"2024-05-01 <row {i}> \"é\" \\ ☃")] : null;

        var expected = JsonSerializer.SerializeToUtf8Bytes(Records(batch, topFeatures, ids), ResponseJson);
        var buffer = new ArrayBufferWriter<byte>();
        new AnomalyApi.Http.BatchJsonResult(batch, TestModel.Features, topFeatures, ids, null!).Write(buffer);

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void BatchResponse_WithValuesTheFastFormatterDeclines_IsStillTheSerializedRecords()
    {
        // Zero, below 1e-4, from 1e7 and negative zero go through the framework's formatting; a row holding any of
        // them is written value by value, the others in one piece, and all must read as the serializer writes them.
        var rows = TestModel.Rows(6, seed: 11).ToArray();
        var scored = TestModel.Score(rows);
        var features = scored.FeatureCount;
        float[] declined = [0f, 1e-6f, 3.5e-5f, 2.5e7f, -0.0f, -1e-5f];
        for (var row = 0; row < declined.Length; row += 2)
        {
            scored.Reconstruction[row * features + row % features] = declined[row];
            scored.Reconstruction[row * features + features - 1] = declined[row + 1];
        }
        var batch = Label(scored);

        var expected = JsonSerializer.SerializeToUtf8Bytes(Records(batch, 5, null), ResponseJson);
        var buffer = new ArrayBufferWriter<byte>();
        new AnomalyApi.Http.BatchJsonResult(batch, TestModel.Features, 5, null, null!).Write(buffer);

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(buffer.WrittenSpan));
        // And the declined values are really in there (the test would prove nothing if scoring had overwritten them).
        Assert.Contains($",{JsonSerializer.Serialize(2.5e7f)}]", Encoding.UTF8.GetString(buffer.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public void SelectTop_WithTies_KeepsTheModelsOrderLikeAStableSort()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 500; trial++)
        {
            // Few distinct values, so ties are everywhere.
            var errors = Enumerable.Range(0, random.Next(0, 40)).Select(_ => (float)random.Next(0, 4)).ToArray();
            var count = random.Next(0, 45);
            var top = new int[Math.Min(count, errors.Length)];

            var filled = PredictionJsonWriter.SelectTop(errors, top);

            var expected = Enumerable.Range(0, errors.Length).OrderByDescending(i => errors[i]).ThenBy(i => i).Take(top.Length);
            Assert.Equal(expected, top[..filled]);
        }
    }

    private static LabelledBatch Label(ScoredBatch scored)
    {
        // Every other row with an adaptive threshold, so both the number and the null are written.
        var adaptive = Enumerable.Range(0, scored.Rows).Select(i => i % 2 == 0 ? (double?)null : 0.01 * i + 1e-7).ToArray();
        var isAnomaly = Enumerable.Range(0, scored.Rows).Select(i => scored.Rmse[i] > 0.05 || i % 5 == 0).ToArray();
        return new LabelledBatch(scored, isAnomaly, adaptive);
    }

    // The records as PredictionService built them per row, from Core's own TopFeatures.
    private static BatchPredictionResponse Records(LabelledBatch batch, int topFeatures, string?[]? ids) => new(
        [.. Enumerable.Range(0, batch.Rows).Select(row => new PredictionResult(
            ids?[row],
            batch.Scores.Rmse[row],
            batch.IsAnomaly[row],
            batch.Scores.Threshold,
            batch.AdaptiveThreshold[row],
            batch.Scores.ReconstructionRow(row).ToArray(),
            [.. batch.Scores.TopFeatures(row, topFeatures).Select(f => new TopFeature(f.Name, f.Error))]))],
        batch.IsAnomaly.Count(a => a));

    private static JsonSerializerOptions CreateResponseJson()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        json.TypeInfoResolverChain.Insert(0, AnomalyJsonContext.Default);
        return json;
    }
}
