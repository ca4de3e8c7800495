namespace AnomalyApi.Core.Telemetry;

/// <summary>
/// The wall-clock interval between two scrapes as the exporter itself measured it, from its
/// <c>node_time_seconds</c> gauge. It is read in the same scrape as the CPU counters, so it excludes
/// the HTTP round trip; callers that timed the scrapes themselves may pass their own interval instead.
/// </summary>
public static class NodeTime
{
    /// <summary>The metric node_exporter's time collector exports.</summary>
    public const string MetricName = "node_time_seconds";

    /// <summary>
    /// Seconds between the two scrapes' <c>node_time_seconds</c>, or null when either scrape lacks it
    /// or the clock did not move forward.
    /// </summary>
    public static double? ElapsedSeconds(IEnumerable<MetricSample> previous, IEnumerable<MetricSample> current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        if (Read(previous) is not { } start || Read(current) is not { } end)
        {
            return null;
        }
        var elapsed = end - start;
        return elapsed > 0 && double.IsFinite(elapsed) ? elapsed : null;
    }

    private static double? Read(IEnumerable<MetricSample> samples) =>
        samples.FirstOrDefault(s => s.Name == MetricName && s.Labels.Count == 0)?.Value;
}
