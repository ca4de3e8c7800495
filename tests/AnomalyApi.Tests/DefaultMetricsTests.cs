using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AnomalyApi.Tests;

/// <summary>
/// prometheus-net's meter and event-counter adapters stay off (DefaultMetrics.SuppressAdapters): once started by a
/// scrape they would republish every .NET meter and make each request record ASP.NET Core's instruments too.
/// </summary>
public sealed class DefaultMetricsTests(AnomalyApiFactory factory) : IClassFixture<AnomalyApiFactory>
{
    [Fact]
    public async Task Metrics_AfterScrapesAndRequests_HaveNoAdapterSeriesButKeepHttpAndProcessOnes()
    {
        var client = factory.CreateClient();
        await client.GetStringAsync("/metrics");  // the first scrape is when the adapters would start
        var response = await client.PostAsJsonAsync("/predict", new JsonObject { ["features"] = TestModel.ToJsonArray(TestModel.RowAt(0.5)) });
        response.EnsureSuccessStatusCode();

        var metrics = await client.GetStringAsync("/metrics");

        // System.Runtime's meter (.NET 9+) and ASP.NET Core's own, as the meter adapter would name them.
        Assert.DoesNotContain("system_runtime_", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("microsoft_aspnetcore_", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("prometheus_net_meteradapter_", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("prometheus_net_eventcounteradapter_", metrics, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
        Assert.Contains("process_cpu_seconds_total ", metrics, StringComparison.Ordinal);
    }
}
