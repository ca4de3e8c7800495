using AnomalyApi.Core.Telemetry;

namespace AnomalyApi.Collector;

/// <summary>
/// One source of the collector's feature vectors (Collector:Source): it reads once per tick and turns whatever goes
/// wrong into a problem in words that name the source, so the collector's loop is the same for every source.
/// </summary>
internal interface ICollectorFeed
{
    /// <summary>The features each vector holds, in order (the model's when the feed was made).</summary>
    IReadOnlyList<string> Features { get; }

    /// <summary>One read. Throws only <see cref="OperationCanceledException"/> when <paramref name="stoppingToken"/> fires.</summary>
    Task<FeedReading> ReadAsync(CancellationToken stoppingToken);
}

/// <summary>What one read gave: a complete vector, nothing yet (a feed that needs two scrapes), or a problem.</summary>
internal sealed record FeedReading(NodeFeatureVector? Vector, CollectorProblemKind? ProblemKind, string? Problem)
{
    public static readonly FeedReading Primed = new(null, null, null);

    public static FeedReading Of(NodeFeatureVector vector) => new(vector, null, null);

    public static FeedReading Failed(CollectorProblemKind kind, string problem) => new(null, kind, problem);
}
