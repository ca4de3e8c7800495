using System.Text.Json;
using AnomalyApi.Deployment.Tests.Compose;
using AnomalyApi.Deployment.Tests.Infrastructure;

namespace AnomalyApi.Deployment.Tests.Grafana;

/// <summary>
/// Grafana is not packaged for Debian, so it cannot run here: these check that what it would load fits together
/// (provisioned datasource, dashboard provider, the compose mounts); the dashboard's queries themselves run
/// against a real Prometheus in PrometheusScrapeTests.
/// </summary>
public sealed class GrafanaProvisioningTests
{
    internal static JsonElement Dashboard()
    {
        using var document = JsonDocument.Parse(Repository.ReadText("docker", "grafana", "dashboards", "anomaly.json"));
        return document.RootElement.Clone();
    }

    internal static IEnumerable<(string Panel, string Expr)> Queries(JsonElement dashboard) =>
        dashboard.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray()
                .Select(t => (p.GetProperty("title").GetString()!, t.GetProperty("expr").GetString()!)));

    [Fact]
    public void Dashboard_PlotsScoreAgainstThresholdDetectionsRequestRateAndP99PerInstance()
    {
        var queries = Queries(Dashboard()).ToLookup(q => q.Panel, q => q.Expr);

        var score = queries["Anomaly score vs threshold"].ToList();
        Assert.Contains(score, e => e.StartsWith("anomaly_score{", StringComparison.Ordinal));
        Assert.Contains(score, e => e.Contains("anomaly_threshold", StringComparison.Ordinal));
        Assert.Contains(queries["Detections per minute"], e => e.Contains("rate(anomaly_detections_total", StringComparison.Ordinal) && e.EndsWith("* 60", StringComparison.Ordinal));
        Assert.Contains(queries["Request rate"], e => e.Contains("rate(http_request_duration_seconds_count", StringComparison.Ordinal));
        Assert.Contains(queries["p99 latency"], e => e.StartsWith("histogram_quantile(0.99,", StringComparison.Ordinal) && e.Contains("http_request_duration_seconds_bucket", StringComparison.Ordinal));
        foreach (var panel in new[] { "Detections per minute", "Request rate", "p99 latency" })
        {
            Assert.Contains(queries[panel], e => e.Contains("by (instance", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Dashboard_EveryPanelUsesTheProvisionedPrometheusDatasource()
    {
        var datasources = await Yaml.LoadFileAsync(Repository.Path("docker", "grafana", "provisioning", "datasources", "prometheus.yml"));
        var prometheus = datasources.GetProperty("datasources")[0];
        var dashboard = Dashboard();

        Assert.Equal("prometheus", prometheus.GetProperty("type").GetString());
        Assert.Equal("http://prometheus:9090", prometheus.GetProperty("url").GetString());
        var uid = prometheus.GetProperty("uid").GetString();
        foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            var title = panel.GetProperty("title").GetString();
            Assert.True(uid == panel.GetProperty("datasource").GetProperty("uid").GetString(), $"Panel '{title}' uses another datasource");
            Assert.All(panel.GetProperty("targets").EnumerateArray(),
                t => Assert.Equal(uid, t.GetProperty("datasource").GetProperty("uid").GetString()));
        }
        Assert.Equal("anomaly-api", dashboard.GetProperty("uid").GetString());
    }

    [Fact]
    public async Task DashboardProvider_ReadsTheFolderComposeMountsTheDashboardsIn()
    {
        var provider = (await Yaml.LoadFileAsync(Repository.Path("docker", "grafana", "provisioning", "dashboards", "anomaly.yml")))
            .GetProperty("providers")[0];
        var grafana = (await ComposeFileTests.ResolvedAsync()).GetProperty("services").GetProperty("grafana");

        var path = provider.GetProperty("options").GetProperty("path").GetString();
        Assert.Equal("file", provider.GetProperty("type").GetString());
        Assert.Contains($"{Repository.Path("docker", "grafana", "dashboards")}:{path}:ro",
            grafana.GetProperty("volumes").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal($"{path}/anomaly.json", grafana.GetProperty("environment").GetProperty("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").GetString());
    }
}
