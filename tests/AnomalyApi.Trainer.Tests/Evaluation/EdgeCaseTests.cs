using System.Text.Json;
using AnomalyApi.Trainer.Evaluation;

namespace AnomalyApi.Trainer.Tests.Evaluation;

public class EdgeCaseTests
{
    [Fact]
    public void NothingFlagged_GivesZeroPrecisionRecallAndF1()
    {
        var report = DetectionMetrics.Evaluate([0.1, 0.2, 0.3], [0, 1, 0], threshold: 0.9);

        Assert.Equal(0, report.Pointwise.Precision);
        Assert.Equal(0, report.Pointwise.Recall);
        Assert.Equal(0, report.Pointwise.F1);
        Assert.Equal(0, report.Pointwise.FalsePositiveRate);
    }

    [Fact]
    public void NoAnomalies_GivesZeroRecallAndNullRankingMetrics()
    {
        var report = DetectionMetrics.Evaluate([0.1, 0.7, 0.3], [0, 0, 0], threshold: 0.5);

        Assert.Equal(0, report.Pointwise.Recall);
        Assert.Equal(0, report.Pointwise.F1);
        Assert.Equal(1.0 / 3, report.Pointwise.FalsePositiveRate, 12);
        Assert.Null(report.RocAuc);
        Assert.Null(report.AveragePrecision);
        Assert.Equal(0, report.TotalSegments);
        Assert.Null(report.MeanRowsToDetect);
        // Every F1 is 0, so the best threshold is the one that flags nothing: the top score.
        Assert.Equal(0, report.BestF1);
        Assert.Equal(0.7, report.BestThreshold);
    }

    [Fact]
    public void OnlyAnomalies_GivesZeroFprNullRocAucAndApOfOne()
    {
        var report = DetectionMetrics.Evaluate([0.1, 0.7, 0.3], [1, 1, 1], threshold: 0.5);

        Assert.Equal(0, report.Pointwise.FalsePositiveRate);
        Assert.Null(report.RocAuc);
        Assert.Equal(1.0, report.AveragePrecision);
        Assert.Equal(1.0, report.BestF1);
        Assert.True(report.BestThreshold < 0.1);
    }

    [Fact]
    public void MismatchedLengths_Throw()
    {
        Assert.Throws<ArgumentException>(() => DetectionMetrics.Evaluate([0.1, 0.2], [0, 1, 0], threshold: 0.5));
    }

    [Fact]
    public void EmptyInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => DetectionMetrics.Evaluate([], [], threshold: 0.5));
    }

    [Theory]
    [InlineData(double.NaN, 0, 0.5)]
    [InlineData(double.PositiveInfinity, 0, 0.5)]
    [InlineData(0.1, 2, 0.5)]
    [InlineData(0.1, -1, 0.5)]
    [InlineData(0.1, 0, double.NaN)]
    public void InvalidScoreLabelOrThreshold_Throws(double score, int label, double threshold)
    {
        Assert.Throws<ArgumentException>(() => DetectionMetrics.Evaluate([0.2, score], [1, label], threshold));
    }

    [Fact]
    public void Report_SerialisesWithCamelCaseNamesAndNullsWhateverTheOptions()
    {
        var report = DetectionMetrics.Evaluate([0.1, 0.7], [0, 0], threshold: 0.5);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report));
        var root = json.RootElement;

        Assert.Equal(
            ["threshold", "pointwise", "pointAdjusted", "rocAuc", "averagePrecision", "bestThreshold", "bestF1",
             "totalSegments", "detectedSegments", "meanRowsToDetect"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["truePositives", "falsePositives", "trueNegatives", "falseNegatives", "precision", "recall", "f1", "falsePositiveRate"],
            root.GetProperty("pointwise").EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("rocAuc").ValueKind);
        Assert.Equal(1, root.GetProperty("pointwise").GetProperty("falsePositives").GetInt32());
    }

    [Fact]
    public void Report_RoundTripsThroughJson()
    {
        var report = DetectionMetrics.Evaluate([0.1, 0.9, 0.4, 0.3], [0, 1, 1, 0], threshold: 0.35);

        var copy = JsonSerializer.Deserialize<EvaluationReport>(JsonSerializer.Serialize(report));

        Assert.Equal(report, copy);
    }
}
