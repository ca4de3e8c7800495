using Prometheus;

namespace AnomalyApi.Observability;

public static class HttpMetricsExtensions
{
    /// <summary>
    /// prometheus-net's per-endpoint HTTP series, without the parts that cost every request and add nothing here:
    /// <c>http_requests_received_total</c> (the duration histogram's <c>_count</c> is the same number, labelled the
    /// same) and exemplars (nothing here traces requests, so there is no trace id to attach; see
    /// <see cref="DefaultMetrics.DisableExemplars"/>). Kept: <c>http_request_duration_seconds</c> (Grafana's request
    /// rate and p99 panels) and <c>http_requests_in_progress</c> (what is in flight during a shutdown).
    /// </summary>
    public static IApplicationBuilder UseAnomalyHttpMetrics(this IApplicationBuilder app) =>
        app.UseHttpMetrics(options =>
        {
            options.RequestCount.Enabled = false;
            options.ConfigureMeasurements(measurement => measurement.ExemplarPredicate = static _ => false);
        });
}
