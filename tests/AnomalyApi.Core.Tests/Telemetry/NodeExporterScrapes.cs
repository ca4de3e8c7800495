using AnomalyApi.Core.Telemetry;

namespace AnomalyApi.Core.Tests.Telemetry;

/// <summary>
/// Two real scrapes of Debian's prometheus-node-exporter taken about 3 s apart (see
/// TestData/node_exporter/README.md), as text and parsed.
/// </summary>
internal static class NodeExporterScrapes
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "node_exporter");

    public static string FirstPath => Path.Combine(Folder, "scrape1.prom");

    public static string SecondPath => Path.Combine(Folder, "scrape2.prom");

    public static IReadOnlyList<MetricSample> First { get; } = PrometheusTextParser.Parse(File.ReadAllText(FirstPath));

    public static IReadOnlyList<MetricSample> Second { get; } = PrometheusTextParser.Parse(File.ReadAllText(SecondPath));

    /// <summary>
    /// The value the file shows for an unlabelled or fully spelled series, found by plain text search
    /// (what grep shows) rather than by the parser under test.
    /// </summary>
    public static double GrepValue(string path, string series)
    {
        var line = File.ReadLines(path).Single(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
