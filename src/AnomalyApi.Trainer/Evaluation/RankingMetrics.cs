namespace AnomalyApi.Trainer.Evaluation;

/// <summary>
/// Threshold-free metrics, computed from the scores sorted once and walked group by group: rows with equal
/// scores form one group, since no threshold can separate them.
/// </summary>
internal static class RankingMetrics
{
    /// <summary>One distinct score and how many positive and negative rows share it.</summary>
    internal readonly record struct ScoreGroup(double Score, int Positives, int Negatives);

    /// <summary>The distinct scores in descending order, with the label counts at each.</summary>
    public static ScoreGroup[] GroupDescending(IReadOnlyList<double> scores, IReadOnlyList<int> labels)
    {
        var order = Enumerable.Range(0, scores.Count).ToArray();
        Array.Sort(order, (a, b) => scores[b].CompareTo(scores[a]));

        var groups = new List<ScoreGroup>();
        foreach (var i in order)
        {
            var positive = labels[i] == 1 ? 1 : 0;
            if (groups.Count > 0 && groups[^1].Score == scores[i])
            {
                var last = groups[^1];
                groups[^1] = last with { Positives = last.Positives + positive, Negatives = last.Negatives + 1 - positive };
            }
            else
            {
                groups.Add(new ScoreGroup(scores[i], positive, 1 - positive));
            }
        }
        return [.. groups];
    }

    /// <summary>
    /// ROC-AUC as the Mann-Whitney statistic: the probability that a random anomalous row scores above a
    /// random normal one, ties counting half. Exact, no curve interpolation. Null unless both classes occur.
    /// </summary>
    public static double? RocAuc(ScoreGroup[] descending)
    {
        long positives = descending.Sum(g => (long)g.Positives);
        long negatives = descending.Sum(g => (long)g.Negatives);
        if (positives == 0 || negatives == 0)
        {
            return null;
        }

        // Each positive beats every negative in a lower group and half-beats those in its own group.
        double wins = 0;
        long negativesBelow = negatives;
        foreach (var group in descending)
        {
            negativesBelow -= group.Negatives;
            wins += group.Positives * (negativesBelow + group.Negatives / 2.0);
        }
        return wins / ((double)positives * negatives);
    }

    /// <summary>
    /// Average precision, scikit-learn's definition: AP = sum over thresholds of (R_n - R_{n-1}) * P_n, with
    /// one threshold per distinct score (flag every row scoring at least that much) and R_0 = 0. A step
    /// function, not the trapezoid, which would be optimistic. Null when there are no anomalous rows.
    /// </summary>
    public static double? AveragePrecision(ScoreGroup[] descending)
    {
        long positives = descending.Sum(g => (long)g.Positives);
        if (positives == 0)
        {
            return null;
        }

        double ap = 0, previousRecall = 0;
        long tp = 0, flagged = 0;
        foreach (var group in descending)
        {
            tp += group.Positives;
            flagged += group.Positives + group.Negatives;
            var recall = (double)tp / positives;
            ap += (recall - previousRecall) * tp / flagged;
            previousRecall = recall;
        }
        return ap;
    }

    /// <summary>
    /// The threshold with the highest F1 under the rule "anomaly = score &gt; threshold". The candidates are
    /// the distinct scores (each flags the rows strictly above it) and the double just below the lowest
    /// score (flags every row). On a tie the highest threshold wins: the fewest alarms for the same F1.
    /// With no anomalous rows every F1 is 0 and the answer is the highest score, which flags nothing.
    /// </summary>
    public static (double Threshold, double F1) BestF1(ScoreGroup[] descending)
    {
        long positives = descending.Sum(g => (long)g.Positives);
        // Threshold = the top score flags nothing: F1 = 0.
        var best = (Threshold: descending[0].Score, F1: 0.0);
        long tp = 0, flagged = 0;
        for (var k = 0; k < descending.Length; k++)
        {
            // Flag groups 0..k, i.e. every score above the next group's score.
            tp += descending[k].Positives;
            flagged += descending[k].Positives + descending[k].Negatives;
            var f1 = 2.0 * tp / (flagged + positives);
            if (f1 > best.F1)
            {
                var threshold = k + 1 < descending.Length ? descending[k + 1].Score : Math.BitDecrement(descending[k].Score);
                best = (threshold, f1);
            }
        }
        return best;
    }
}
