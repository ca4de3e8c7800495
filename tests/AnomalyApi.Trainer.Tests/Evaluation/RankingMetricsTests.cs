using AnomalyApi.Trainer.Evaluation;

namespace AnomalyApi.Trainer.Tests.Evaluation;

public class RankingMetricsTests
{
    [Fact]
    public void PerfectSeparation_GivesRocAucApAndBestF1OfOne()
    {
        var report = DetectionMetrics.Evaluate([0.1, 0.2, 0.3, 0.7, 0.9], [0, 0, 0, 1, 1], threshold: 0.5);

        Assert.Equal(1.0, report.RocAuc);
        Assert.Equal(1.0, report.AveragePrecision);
        Assert.Equal(1.0, report.BestF1);
        // The highest cut that keeps every anomaly: just above the top normal score.
        Assert.Equal(0.3, report.BestThreshold);
    }

    [Fact]
    public void ReversedRanking_GivesRocAucOfZero()
    {
        var report = DetectionMetrics.Evaluate([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1], threshold: 0.5);

        Assert.Equal(0.0, report.RocAuc);
    }

    [Fact]
    public void AllEqualScores_GiveRocAucOfOneHalfAndApOfThePrevalence()
    {
        // One group: every pair ties (AUC 1/2); the only cut flags all rows, P = 1/4 at R = 1.
        var report = DetectionMetrics.Evaluate([0.3, 0.3, 0.3, 0.3], [0, 1, 0, 0], threshold: 0.3);

        Assert.Equal(0.5, report.RocAuc);
        Assert.Equal(0.25, report.AveragePrecision);
        // Flagging everything: F1 = 2 * 1 / (4 + 1). The threshold sits just below the common score.
        Assert.Equal(0.4, report.BestF1, 12);
        Assert.True(report.BestThreshold < 0.3);
        Assert.Equal(0.4, DetectionMetrics.Evaluate([0.3, 0.3, 0.3, 0.3], [0, 1, 0, 0], report.BestThreshold).Pointwise.F1, 12);
    }

    [Fact]
    public void TiedPositiveAndNegative_CountHalfInRocAucAndShareOneApStep()
    {
        // Positives {.8, .5}, negatives {.5, .2}. Pairs: .8>.5, .8>.2, .5=.5 (half), .5>.2: 3.5 / 4.
        // AP: .8 alone gives P 1 at R 1/2; the tied .5 pair enters together, P 2/3 at R 1: 1/2 + 1/2 * 2/3.
        var report = DetectionMetrics.Evaluate([0.8, 0.5, 0.5, 0.2], [1, 1, 0, 0], threshold: 0.6);

        Assert.Equal(0.875, report.RocAuc);
        Assert.Equal(5.0 / 6, report.AveragePrecision!.Value, 12);
    }

    [Fact]
    public void AveragePrecision_IsTheStepSumNotTheTrapezoid()
    {
        // Descending: P(.9) N(.8) P(.7). Steps: R .5 at P 1, then R 1 at P 2/3: .5 + .5 * 2/3 = 5/6.
        // A trapezoid through (0,1), (.5,1), (.5,.5), (1,2/3) would give a different number.
        var report = DetectionMetrics.Evaluate([0.9, 0.8, 0.7], [1, 0, 1], threshold: 0.5);

        Assert.Equal(5.0 / 6, report.AveragePrecision!.Value, 12);
    }

    [Fact]
    public void RocAucAndBestF1_AgreeWithBruteForceOnRandomScoresWithTies()
    {
        var random = new Random(17);
        var scores = Enumerable.Range(0, 300).Select(_ => Math.Round(random.NextDouble(), 1)).ToArray();
        var labels = scores.Select(s => random.NextDouble() < 0.2 + 0.5 * s ? 1 : 0).ToArray();

        var report = DetectionMetrics.Evaluate(scores, labels, threshold: 0.5);

        // Mann-Whitney by counting every positive-negative pair.
        double wins = 0, pairs = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            for (var j = 0; j < scores.Length; j++)
            {
                if (labels[i] == 1 && labels[j] == 0)
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        Assert.Equal(wins / pairs, report.RocAuc!.Value, 12);

        // Best F1 by evaluating every distinct score as the threshold, plus one below the minimum.
        var bruteBest = scores.Distinct().Append(-1.0)
            .Max(t => DetectionMetrics.Evaluate(scores, labels, t).Pointwise.F1);
        Assert.Equal(bruteBest, report.BestF1, 12);
        Assert.Equal(report.BestF1, DetectionMetrics.Evaluate(scores, labels, report.BestThreshold).Pointwise.F1, 12);
    }
}
