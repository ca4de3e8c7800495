using Prometheus;

namespace AnomalyApi.Observability;

/// <summary>prometheus-net's built-in series: the cheap process ones stay, the adapters go.</summary>
internal static class DefaultMetrics
{
    /// <summary>
    /// Without this, the first scrape of /metrics starts prometheus-net's meter and event-counter adapters: they
    /// republish every .NET meter and event counter, and listening turns on ASP.NET Core's and Kestrel's
    /// per-request instruments, so every request then pays for series nothing here reads (on this 2-core machine
    /// /predict lost about a quarter of its requests/s once /metrics had been scraped). Only takes effect before
    /// the first scrape, so it runs while the services are registered; later calls change nothing.
    /// </summary>
    public static void SuppressAdapters() =>
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressEventCounters = true, SuppressMeters = true });
}
