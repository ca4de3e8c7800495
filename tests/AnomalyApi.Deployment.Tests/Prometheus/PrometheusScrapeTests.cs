using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AnomalyApi.Deployment.Tests.Grafana;
using AnomalyApi.Deployment.Tests.Infrastructure;

namespace AnomalyApi.Deployment.Tests.Prometheus;

/// <summary>
/// Debian's Prometheus on the shipped docker/prometheus config scraping running instances of the published
/// service and a real node_exporter on loopback; the tests read back through Prometheus's HTTP API.
/// </summary>
[Collection(PublishedApiCollection.Name)]
public sealed partial class PrometheusScrapeTests(PublishedApiFixture fixture, ScrapedStack stack) : IClassFixture<ScrapedStack>
{
    private static readonly TimeSpan ScrapeWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ShippedConfig_ScrapesEachReplicaAndNodeExporterEvery15sAndLoadsTheAlertRules()
    {
        var (first, second) = await fixture.GetPairAsync();
        using var exporter = await NodeExporter.StartAsync();
        using var prometheus = await PrometheusServer.StartAsync([first.Address, second.Address], exporter.Address);

        // File discovery hands targets to the scrape manager a few seconds after start.
        var targets = await Eventually.Until(
            async () => (await prometheus.GetDataAsync("api/v1/targets?state=active")).GetProperty("activeTargets").EnumerateArray()
                .Select(t => (Job: t.GetProperty("labels").GetProperty("job").GetString()!, Url: t.GetProperty("scrapeUrl").GetString()!,
                    Interval: t.GetProperty("scrapeInterval").GetString()!))
                .Where(t => t.Job != "prometheus")
                .OrderBy(t => t.Url, StringComparer.Ordinal)
                .ToList(),
            list => list.Count >= 3,
            ScrapeWait,
            (list, error) => $"active targets: {string.Join(", ", list ?? [])} {error?.Message}");
        var rules = (await prometheus.GetDataAsync("api/v1/rules")).GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray())
            .Select(r => (Type: r.GetProperty("type").GetString()!, Name: r.GetProperty("name").GetString()!))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(
            new[] { ("anomaly-api", $"http://{first.Address}/metrics", "15s"), ("anomaly-api", $"http://{second.Address}/metrics", "15s"),
                    ("node-exporter", $"http://{exporter.Address}/metrics", "15s") }.OrderBy(t => t.Item2, StringComparer.Ordinal),
            targets);
        Assert.Equal(
            [
                ("alerting", "AnomalyBatchesRefused"), ("alerting", "AnomalyHeld"), ("alerting", "AnomalyModelReloadFailing"),
                ("alerting", "AnomalyScoreFarAboveThreshold"), ("alerting", "AnomalyScoresNotArriving"), ("alerting", "InstanceDown"),
            ],
            rules);
    }

    [Fact]
    public async Task Prometheus_ScrapingTheService_ReadsBackAnomalyScoreEqualToTheRmseItAnswered()
    {
        var (api, _, prometheus) = await stack.GetAsync(fixture);
        var query = $"anomaly_score{{job=\"anomaly-api\",instance=\"{api.Address}\",source=\"api\"}}";

        // Two different rows in turn: the value read back follows the latest answer, not just any score.
        var first = await Telemetry.PredictRmseAsync(api.Client, "predict", Telemetry.RowAt(0.1));
        var scrapedFirst = await ScrapedValueAsync(prometheus, query, first);
        var second = await Telemetry.PredictRmseAsync(api.Client, "predict", Telemetry.RowAt(0.8));
        var scrapedSecond = await ScrapedValueAsync(prometheus, query, second);

        Assert.NotEqual(first, second);
        Assert.Equal(first, scrapedFirst);
        Assert.Equal(second, scrapedSecond);
    }

    [Fact]
    public async Task NodeExporter_ListedInTheTargetsFile_IsScrapedWithCpuMetrics()
    {
        var (_, exporter, prometheus) = await stack.GetAsync(fixture);

        var up = await Eventually.Until(
            () => prometheus.QueryAsync($"up{{job=\"node-exporter\",instance=\"{exporter.Address}\"}}"),
            result => result.GetArrayLength() == 1 && result[0].GetProperty("value")[1].GetString() == "1",
            ScrapeWait,
            (result, error) => $"up of node-exporter: {result} {error?.Message}\n{prometheus.Output}");
        var cpu = await prometheus.QueryAsync($"node_cpu_seconds_total{{job=\"node-exporter\",mode=\"idle\"}}");

        Assert.Equal(1, up.GetArrayLength());
        Assert.True(cpu.GetArrayLength() > 0, "No node_cpu_seconds_total{mode=\"idle\"} scraped from node_exporter");
    }

    [Fact]
    public async Task DashboardQueries_AgainstTheScrapedService_EachReturnSeries()
    {
        var (api, _, prometheus) = await stack.GetAsync(fixture);
        // Traffic for every panel: normal rows, anomalies (beyond the training max: out of range as well).
        for (var i = 0; i < 5; i++)
        {
            await Telemetry.PredictRmseAsync(api.Client, "predict", Telemetry.RowAt(0.5));
            await Telemetry.PredictRmseAsync(api.Client, "predict", Telemetry.RowAt(1.5));
        }
        var dashboard = GrafanaProvisioningTests.Dashboard();

        foreach (var (panel, expr) in GrafanaProvisioningTests.Queries(dashboard))
        {
            // Grafana's variables as it would fill them: the replica picker on "All", a rate window of 4 scrapes.
            var promql = expr.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$instance", ".*", StringComparison.Ordinal);
            Assert.DoesNotContain("$", promql, StringComparison.Ordinal);

            var result = await Eventually.Until(
                () => prometheus.QueryAsync(promql),
                r => r.ValueKind == JsonValueKind.Array && r.GetArrayLength() > 0,
                ScrapeWait,
                (r, error) => $"Panel '{panel}': {promql} returned {r} {error?.Message}");
            Assert.True(result.GetArrayLength() > 0, $"Panel '{panel}' shows nothing");
        }
        var replicas = (await prometheus.GetDataAsync($"api/v1/label/instance/values?match[]={Uri.EscapeDataString("up{job=\"anomaly-api\"}")}"))
            .EnumerateArray().Select(v => v.GetString());
        Assert.Contains(api.Address, replicas);
    }

    /// <summary>An alert on a series the service does not export (a typo, a renamed metric) would never fire.</summary>
    [Fact]
    public async Task AlertRules_EveryAnomalySeriesTheyQuery_IsScrapedFromTheService()
    {
        var (api, _, prometheus) = await stack.GetAsync(fixture);
        // The score series carry a source label, so they exist once a row has been scored.
        await Telemetry.PredictRmseAsync(api.Client, "predict", Telemetry.RowAt(0.5));
        var names = await AlertRuleSeriesAsync();
        Assert.Contains("anomaly_model_reload_failing", names);
        Assert.Contains("anomaly_batches_refused_total", names);

        foreach (var name in names)
        {
            var query = $"{name}{{job=\"anomaly-api\",instance=\"{api.Address}\"}}";
            var result = await Eventually.Until(
                () => prometheus.QueryAsync(query),
                r => r.GetArrayLength() > 0,
                ScrapeWait,
                (r, error) => $"An alert rule queries {name}, but {query} returned {r} {error?.Message}");
            Assert.True(result.GetArrayLength() > 0, query);
        }
    }

    /// <summary>The anomaly_* series named in the shipped alert rules' expressions.</summary>
    private static async Task<IReadOnlyList<string>> AlertRuleSeriesAsync()
    {
        var rules = await Yaml.LoadFileAsync(Repository.Path("docker", "prometheus", "rules", "anomaly-alerts.yml"));
        return [.. rules.GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray())
            .SelectMany(r => AnomalySeriesName().Matches(r.GetProperty("expr").GetString()!).Select(m => m.Value))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"\banomaly_[a-z_]+\b")]
    private static partial Regex AnomalySeriesName();

    /// <summary>Polls Prometheus until the query's single sample equals <paramref name="expected"/>; returns what it read.</summary>
    private static async Task<double> ScrapedValueAsync(PrometheusServer prometheus, string query, double expected)
    {
        var result = await Eventually.Until(
            () => prometheus.QueryAsync(query),
            r => r.GetArrayLength() == 1 && Value(r[0]) == expected,
            ScrapeWait,
            (r, error) => $"{query} never read {Telemetry.Format(expected)}; last: {r} {error?.Message}\n{prometheus.Output}");
        return Value(result[0]);
    }

    private static double Value(JsonElement sample) =>
        double.Parse(sample.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
}
