using AnomalyApi.Contracts.Protobuf;
using AnomalyApi.Scoring;
using Google.Protobuf;
using ProtobufTopFeature = AnomalyApi.Contracts.Protobuf.TopFeature;

namespace AnomalyApi.Tests.Contracts;

/// <summary>
/// The protobuf batch writer against the generated classes it stands in for: the same rows built as a
/// <see cref="BatchResponse"/> message must serialize to the same bytes.
/// </summary>
public sealed class BatchProtobufWriterTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(38)]
    [InlineData(100)]
    public void Response_IsByteForByteTheGeneratedMessage(int topFeatures)
    {
        var rows = TestModel.Rows(40, seed: 3).Prepend(TestModel.NormalRow()).ToArray();
        var scored = TestModel.Score(rows);
        // Every other row with an adaptive threshold, so the optional field is both present and absent.
        var adaptive = Enumerable.Range(0, scored.Rows).Select(i => i % 2 == 0 ? (double?)null : 0.01 * i + 1e-7).ToArray();
        var batch = new LabelledBatch(scored, [.. Enumerable.Range(0, scored.Rows).Select(i => scored.Rmse[i] > 0.05 || i % 5 == 0)], adaptive);

        var (buffer, length) = BatchProtobufWriter.Write(batch, TestModel.Features, topFeatures);

        Assert.Equal(Message(batch, topFeatures).ToByteArray(), buffer.AsSpan(0, length).ToArray());
    }

    [Fact]
    public void Response_WithNonAsciiFeatureNames_WritesThemAsUtf8()
    {
        var scored = TestModel.Score([TestModel.NormalRow()]);
        var batch = new LabelledBatch(scored, [false], [null]);
        string[] names = [.. TestModel.Features.Select((name, i) => i % 2 == 0 ? $"{name}_é☃" : name)];

        var (buffer, length) = BatchProtobufWriter.Write(batch, names, 38);

        var parsed = BatchResponse.Parser.ParseFrom(buffer, 0, length);
        Assert.Equal(names.Order(StringComparer.Ordinal), parsed.Results[0].TopFeatures.Select(t => t.Name).Order(StringComparer.Ordinal));
    }

    private static BatchResponse Message(LabelledBatch batch, int topFeatures)
    {
        var message = new BatchResponse { AnomalyCount = (uint)batch.IsAnomaly.Count(a => a) };
        for (var row = 0; row < batch.Rows; row++)
        {
            var prediction = new Prediction
            {
                Rmse = batch.Scores.Rmse[row],
                IsAnomaly = batch.IsAnomaly[row],
                Threshold = batch.Scores.Threshold,
                Reconstruction = { batch.Scores.ReconstructionRow(row).ToArray() },
                TopFeatures = { batch.Scores.TopFeatures(row, topFeatures).Select(f => new ProtobufTopFeature { Name = f.Name, Error = f.Error }) },
            };
            if (batch.AdaptiveThreshold[row] is { } threshold)
            {
                prediction.AdaptiveThreshold = threshold;
            }
            message.Results.Add(prediction);
        }
        return message;
    }
}
