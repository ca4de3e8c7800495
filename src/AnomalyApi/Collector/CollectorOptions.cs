namespace AnomalyApi.Collector;

/// <summary>The "Collector" section: the background scorer of this machine's live telemetry, off by default.</summary>
public sealed class CollectorOptions
{
    public const string SectionName = "Collector";

    public const string NodeExporterSource = "node_exporter";

    public const string PrometheusSource = "prometheus";

    public bool Enabled { get; set; }

    /// <summary>Seconds between scrapes; also the window the CPU fractions are taken over.</summary>
    public double IntervalSeconds { get; set; } = 15;

    /// <summary>
    /// Where the features come from: <c>node_exporter</c> (scraped directly, features built by the service) or
    /// <c>prometheus</c> (each feature's PromQL expression from <see cref="MappingPath"/>, evaluated by an existing Prometheus).
    /// </summary>
    public string Source { get; set; } = NodeExporterSource;

    /// <summary>
    /// node_exporter's /metrics for Source=node_exporter; Prometheus's base URL (e.g. http://127.0.0.1:9090, the
    /// service adds /api/v1/query) for Source=prometheus.
    /// </summary>
    public string Url { get; set; } = "http://127.0.0.1:9100/metrics";

    /// <summary>
    /// Source=prometheus only (and then required): the JSON file from feature name to PromQL expression. Relative
    /// paths are tried against the content root, then the app's base directory, as the model's are.
    /// </summary>
    public string? MappingPath { get; set; }

    /// <summary>How many scored vectors GET /collector/recent keeps.</summary>
    public int RecentCount { get; set; } = 100;

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);

    /// <summary>One try of a scrape: at most 5 s, and half the interval so that a retry still fits in it.</summary>
    public TimeSpan AttemptTimeout => TimeSpan.FromSeconds(Math.Min(5, IntervalSeconds / 2));

    /// <summary>All tries of one scrape, retries included: done before the next tick.</summary>
    public TimeSpan TotalTimeout => TimeSpan.FromSeconds(IntervalSeconds * 0.9);

    /// <summary><see cref="MappingPath"/> as a full path: rooted as given, else under the content root if it exists there, else under the base directory if it exists there, else under the content root.</summary>
    public string ResolveMappingPath(string contentRoot, string baseDirectory)
    {
        var path = MappingPath ?? throw new InvalidOperationException("Collector:MappingPath is not set.");
        if (Path.IsPathRooted(path))
        {
            return Path.GetFullPath(path);
        }
        var underContentRoot = Path.GetFullPath(path, contentRoot);
        var underBase = Path.GetFullPath(path, baseDirectory);
        // Neither exists: report the content-root path, the one an operator is most likely to have meant.
        return !File.Exists(underContentRoot) && File.Exists(underBase) ? underBase : underContentRoot;
    }

    public static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
