namespace AnomalyApi.Trainer.Synthesis;

/// <summary>
/// A simulated node_exporter series: one row per scrape, the columns in model-card order, values in raw
/// units (CPU modes as fractions of the interval, memory in bytes).
/// </summary>
/// <remarks>A class rather than a record: record equality would compare the arrays by reference.</remarks>
public sealed class SyntheticTelemetry
{
    /// <summary>The feature names, <c>NodeFeatureNames.For(cpus)</c>; the timestamp is not among them.</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>Unix seconds of each row.</summary>
    public required long[] Timestamps { get; init; }

    /// <summary>One array per row, in <see cref="Columns"/> order.</summary>
    public required double[][] Rows { get; init; }

    /// <summary>1 on rows inside an episode, 0 elsewhere; null when no anomalies were requested.</summary>
    public int[]? Labels { get; init; }

    /// <summary>The injected episodes in row order; empty when no anomalies were requested.</summary>
    public required IReadOnlyList<AnomalyEpisode> Episodes { get; init; }
}
