using AnomalyApi.Trainer.Evaluation;

namespace AnomalyApi.Trainer.Tests.Evaluation;

/// <summary>
/// Ten rows, every number worked out by hand.
///
///   row     0    1    2    3    4    5    6    7    8    9
///   score  .10  .20  .90  .40  .15  .60  .30  .45  .80  .05
///   label   1    0    1    1    0    0    0    1    1    0
///
/// Segments: [0], [2,3], [7,8]. Positives {.10 .90 .40 .45 .80}, negatives {.20 .15 .60 .30 .05}.
///
/// Threshold 0.5 flags rows 2 (.90), 5 (.60), 8 (.80).
///   TP = 2 (rows 2, 8), FP = 1 (row 5), FN = 3 (rows 0, 3, 7), TN = 4 (rows 1, 4, 6, 9).
///   precision 2/3, recall 2/5, F1 = 2*2 / (2*2 + 1 + 3) = 1/2, FPR = 1/5.
/// Point-adjusted: [2,3] is hit at row 2 and [7,8] at row 8, so rows 3 and 7 count as flagged; [0] is missed.
///   TP = 4, FP = 1, FN = 1, TN = 4: precision 4/5, recall 4/5, F1 4/5.
/// Segments: 3 in all, 2 detected, rows to detect 0 (row 2 - 2) and 1 (row 8 - 7): mean 0.5.
///
/// ROC-AUC: negatives below each positive: .90 -> 5, .80 -> 5, .45 -> 4, .40 -> 4, .10 -> 1; 19 / 25 = 0.76.
///
/// Average precision, descending, (R_n - R_{n-1}) * P_n at each positive:
///   .90 P: 1/1, R .2 -> .2 * 1    = .2
///   .80 P: 2/2, R .4 -> .2 * 1    = .2
///   .60 N
///   .45 P: 3/4, R .6 -> .2 * 3/4  = .15
///   .40 P: 4/5, R .8 -> .2 * 4/5  = .16
///   .30 .20 .15 N
///   .10 P: 5/9, R 1  -> .2 * 5/9  = 1/9
///   AP = .71 + 1/9 = 739/900.
///
/// Best F1 = 2TP / (flagged + 5) after each distinct score, the threshold being the next score down:
///   2/6 (.80), 4/7 (.60), 4/8 (.45), 6/9 (.40), 8/10 (.30), 8/11, 8/12, 8/13, 10/14 (.05), 10/15 (below .05).
///   Best 0.8 at threshold 0.30, which flags .90 .80 .60 .45 .40.
/// </summary>
public class WorkedExampleTests
{
    private static readonly double[] Scores = [0.10, 0.20, 0.90, 0.40, 0.15, 0.60, 0.30, 0.45, 0.80, 0.05];
    private static readonly int[] Labels = [1, 0, 1, 1, 0, 0, 0, 1, 1, 0];

    private static readonly EvaluationReport Report = DetectionMetrics.Evaluate(Scores, Labels, threshold: 0.5);

    [Fact]
    public void Pointwise_CountsAndRatesMatchTheHandComputation()
    {
        Assert.Equal(0.5, Report.Threshold);
        Assert.Equal(2, Report.Pointwise.TruePositives);
        Assert.Equal(1, Report.Pointwise.FalsePositives);
        Assert.Equal(4, Report.Pointwise.TrueNegatives);
        Assert.Equal(3, Report.Pointwise.FalseNegatives);
        Assert.Equal(2.0 / 3, Report.Pointwise.Precision, 12);
        Assert.Equal(0.4, Report.Pointwise.Recall, 12);
        Assert.Equal(0.5, Report.Pointwise.F1, 12);
        Assert.Equal(0.2, Report.Pointwise.FalsePositiveRate, 12);
    }

    [Fact]
    public void PointAdjusted_CountsWholeSegmentsThatWereHit()
    {
        Assert.Equal(4, Report.PointAdjusted.TruePositives);
        Assert.Equal(1, Report.PointAdjusted.FalsePositives);
        Assert.Equal(4, Report.PointAdjusted.TrueNegatives);
        Assert.Equal(1, Report.PointAdjusted.FalseNegatives);
        Assert.Equal(0.8, Report.PointAdjusted.Precision, 12);
        Assert.Equal(0.8, Report.PointAdjusted.Recall, 12);
        Assert.Equal(0.8, Report.PointAdjusted.F1, 12);
    }

    [Fact]
    public void Segments_CountDetectionsAndMeanRowsToDetect()
    {
        Assert.Equal(3, Report.TotalSegments);
        Assert.Equal(2, Report.DetectedSegments);
        Assert.Equal(0.5, Report.MeanRowsToDetect);
    }

    [Fact]
    public void RankingMetrics_MatchTheHandComputation()
    {
        Assert.Equal(0.76, Report.RocAuc!.Value, 12);
        Assert.Equal(739.0 / 900, Report.AveragePrecision!.Value, 12);
    }

    [Fact]
    public void BestThreshold_IsTheCutWithTheHighestF1()
    {
        Assert.Equal(0.30, Report.BestThreshold);
        Assert.Equal(0.8, Report.BestF1, 12);
        Assert.Equal(Report.BestF1, DetectionMetrics.Evaluate(Scores, Labels, Report.BestThreshold).Pointwise.F1, 12);
    }
}
