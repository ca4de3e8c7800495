using Prometheus;

namespace AnomalyApi.Observability;

/// <summary>prometheus-net's built-in series: the cheap process ones stay, the adapters and exemplars go.</summary>
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

    /// <summary>
    /// No exemplars on any series made after this call (all of ours: it runs while the services are registered).
    /// By default every Observe and Inc asks Exemplar.FromTraceContext for the current trace's id; nothing here
    /// traces requests, so it never finds one, yet asking was about 0.5 % of a /predict request's CPU in perf.
    /// </summary>
    public static void DisableExemplars() => Metrics.DefaultFactory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
}
