namespace AnomalyApi.Trainer.Synthesis;

/// <summary>One injected anomaly: rows [<see cref="StartRow"/>, <see cref="EndRow"/>) are labelled 1.</summary>
/// <param name="Kind">What was injected.</param>
/// <param name="StartRow">Index of the first affected row.</param>
/// <param name="Length">Number of affected rows.</param>
public sealed record AnomalyEpisode(AnomalyKind Kind, int StartRow, int Length)
{
    /// <summary>Index one past the last affected row.</summary>
    public int EndRow => StartRow + Length;
}
