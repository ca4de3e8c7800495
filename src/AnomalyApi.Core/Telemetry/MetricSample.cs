namespace AnomalyApi.Core.Telemetry;

/// <summary>
/// One sample line of the Prometheus text exposition format: <c>name{labels} value [timestamp]</c>.
/// </summary>
/// <param name="Name">The metric name, e.g. <c>node_cpu_seconds_total</c> (colons allowed).</param>
/// <param name="Labels">The label set, unescaped; empty when the line has no labels or <c>{}</c>.</param>
/// <param name="Value">The value; may be NaN or ±infinity.</param>
/// <param name="TimestampMs">The optional timestamp in milliseconds since the Unix epoch (may be negative).</param>
public sealed record MetricSample(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    double Value,
    long? TimestampMs);
