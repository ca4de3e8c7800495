namespace AnomalyApi.Collector;

/// <summary>The "Collector" section: the background scorer of this machine's live telemetry, off by default.</summary>
public sealed class CollectorOptions
{
    public const string SectionName = "Collector";

    public const string NodeExporterSource = "node_exporter";

    public bool Enabled { get; set; }

    /// <summary>Seconds between scrapes; also the window the CPU fractions are taken over.</summary>
    public double IntervalSeconds { get; set; } = 15;

    /// <summary>Where the features come from; only node_exporter for now.</summary>
    public string Source { get; set; } = NodeExporterSource;

    /// <summary>node_exporter's /metrics.</summary>
    public string Url { get; set; } = "http://127.0.0.1:9100/metrics";

    /// <summary>How many scored vectors GET /collector/recent keeps.</summary>
    public int RecentCount { get; set; } = 100;

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);

    /// <summary>One try of a scrape: at most 5 s, and half the interval so that a retry still fits in it.</summary>
    public TimeSpan AttemptTimeout => TimeSpan.FromSeconds(Math.Min(5, IntervalSeconds / 2));

    /// <summary>All tries of one scrape, retries included: done before the next tick.</summary>
    public TimeSpan TotalTimeout => TimeSpan.FromSeconds(IntervalSeconds * 0.9);

    public static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
