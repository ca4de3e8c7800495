using System.Text.Json;
using AnomalyApi.Deployment.Tests.Infrastructure;
using AnomalyApi.Tests.Shared;

namespace AnomalyApi.Deployment.Tests.Nginx;

/// <summary>A person at /anomaly in a real browser, through the real nginx, to the published service.</summary>
[Collection(PublishedApiCollection.Name)]
public sealed class SwaggerUiThroughNginxTests(PublishedApiFixture fixture)
{
    [Fact]
    public async Task SwaggerUi_AtTheAnomalyPrefix_TryItOutOnPredictAnswers200ThroughNginx()
    {
        var (first, second) = await fixture.GetPairAsync();
        using var nginx = await NginxServer.StartAsync([first.Address, second.Address]);
        using var chromium = Chromium.Start();
        var browser = chromium.Driver;

        // /anomaly redirects to the UI (nginx, then the service's own relative redirect).
        var (status, body, requestUrl) = SwaggerTryItOut.Post(browser, new Uri(nginx.Client.BaseAddress!, "anomaly"), "/predict", "rmse");

        Assert.StartsWith($"http://127.0.0.1:{nginx.Port}/anomaly/swagger/index.html", browser.Url, StringComparison.Ordinal);
        Assert.Equal("200", status);
        Assert.Equal($"http://127.0.0.1:{nginx.Port}/anomaly/predict", requestUrl);
        using var json = JsonDocument.Parse(body);
        Assert.True(json.RootElement.GetProperty("rmse").GetDouble() >= 0);
        Assert.Contains("\"POST /anomaly/predict HTTP/1.1\" 200", nginx.Output, StringComparison.Ordinal);
    }
}
