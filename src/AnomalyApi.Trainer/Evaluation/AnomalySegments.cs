namespace AnomalyApi.Trainer.Evaluation;

/// <summary>
/// Segment-level views of a detector: contiguous runs of label 1 are one incident each, as operators
/// experience them.
/// </summary>
internal static class AnomalySegments
{
    /// <summary>A maximal run of anomalous rows, [Start, Start + Length).</summary>
    internal readonly record struct Segment(int Start, int Length);

    public static List<Segment> Find(IReadOnlyList<int> labels)
    {
        var segments = new List<Segment>();
        for (var i = 0; i < labels.Count; i++)
        {
            if (labels[i] == 1 && (i == 0 || labels[i - 1] != 1))
            {
                var end = i;
                while (end < labels.Count && labels[end] == 1)
                {
                    end++;
                }
                segments.Add(new Segment(i, end - i));
            }
        }
        return segments;
    }

    /// <summary>
    /// Point adjustment, the convention of the Server Machine Dataset papers (OmniAnomaly's
    /// <c>adjust_predicts</c>): when any row of a true segment is flagged, every row of that segment counts
    /// as flagged. Flags outside segments are left as they are, so false positives are not forgiven.
    /// </summary>
    public static bool[] PointAdjust(IReadOnlyList<bool> predicted, List<Segment> segments)
    {
        var adjusted = predicted.ToArray();
        foreach (var segment in segments)
        {
            if (FirstDetection(predicted, segment) is not null)
            {
                Array.Fill(adjusted, true, segment.Start, segment.Length);
            }
        }
        return adjusted;
    }

    /// <summary>Rows from the segment's start to its first flagged row, or null if none is flagged.</summary>
    public static int? FirstDetection(IReadOnlyList<bool> predicted, Segment segment)
    {
        for (var i = 0; i < segment.Length; i++)
        {
            if (predicted[segment.Start + i])
            {
                return i;
            }
        }
        return null;
    }
}
