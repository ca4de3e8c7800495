using AnomalyApi.Trainer.Evaluation;

namespace AnomalyApi.Trainer.Tests.Evaluation;

public class SegmentMetricsTests
{
    [Fact]
    public void PointAdjust_TurnsOneHitIntoAWholeSegmentDetection()
    {
        // Segment [1,4]; only row 3 crosses the threshold.
        var report = DetectionMetrics.Evaluate([0, 0, 0, 1, 0, 0], [0, 1, 1, 1, 1, 0], threshold: 0.5);

        Assert.Equal(1, report.Pointwise.TruePositives);
        Assert.Equal(3, report.Pointwise.FalseNegatives);
        Assert.Equal(0.25, report.Pointwise.Recall);
        Assert.Equal(4, report.PointAdjusted.TruePositives);
        Assert.Equal(0, report.PointAdjusted.FalseNegatives);
        Assert.Equal(1.0, report.PointAdjusted.Recall);
        Assert.Equal(1.0, report.PointAdjusted.F1);
    }

    [Fact]
    public void PointAdjust_LeavesFalsePositivesAndMissedSegmentsAlone()
    {
        // Row 0 is a false alarm; segment [3,4] is missed.
        var report = DetectionMetrics.Evaluate([1, 0, 0, 0, 0], [0, 0, 0, 1, 1], threshold: 0.5);

        Assert.Equal(report.Pointwise, report.PointAdjusted);
        Assert.Equal(1, report.PointAdjusted.FalsePositives);
        Assert.Equal(2, report.PointAdjusted.FalseNegatives);
    }

    [Fact]
    public void RowsToDetect_AveragesOnlyDetectedSegments()
    {
        // Segments [1,3] hit on its third row (2 rows late), [5,6] hit at once, [8,9] missed.
        double[] scores = [0, 0, 0, 1, 0, 1, 0, 0, 0, 0];
        int[] labels = [0, 1, 1, 1, 0, 1, 1, 0, 1, 1];

        var report = DetectionMetrics.Evaluate(scores, labels, threshold: 0.5);

        Assert.Equal(3, report.TotalSegments);
        Assert.Equal(2, report.DetectedSegments);
        Assert.Equal(1.0, report.MeanRowsToDetect);
    }

    [Fact]
    public void Segments_AtTheEdgesOfTheSeriesAreFound()
    {
        var report = DetectionMetrics.Evaluate([1, 0, 0, 0, 1], [1, 1, 0, 1, 1], threshold: 0.5);

        Assert.Equal(2, report.TotalSegments);
        Assert.Equal(2, report.DetectedSegments);
        // [0,1] hit at row 0, [3,4] hit at row 4: 0 and 1 rows late.
        Assert.Equal(0.5, report.MeanRowsToDetect);
        Assert.Equal(1.0, report.PointAdjusted.Recall);
    }

    [Fact]
    public void RowsToDetect_WithNoSegmentDetected_IsNull()
    {
        var report = DetectionMetrics.Evaluate([0, 0, 0], [0, 1, 0], threshold: 0.5);

        Assert.Equal(1, report.TotalSegments);
        Assert.Equal(0, report.DetectedSegments);
        Assert.Null(report.MeanRowsToDetect);
    }
}
