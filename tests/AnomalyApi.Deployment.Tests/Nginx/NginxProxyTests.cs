using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AnomalyApi.Deployment.Tests.Infrastructure;

namespace AnomalyApi.Deployment.Tests.Nginx;

/// <summary>
/// Debian's nginx on the shipped config in front of two instances of the published service, all on 127.0.0.1:
/// what a client of /anomaly/ sees.
/// </summary>
[Collection(PublishedApiCollection.Name)]
public sealed partial class NginxProxyTests(PublishedApiFixture fixture)
{
    [Fact]
    public async Task Predict_ThroughNginx_AnswersTheServicesScore()
    {
        var (first, second) = await fixture.GetPairAsync();
        using var nginx = await NginxServer.StartAsync([first.Address, second.Address]);
        var row = Telemetry.RowAt(0.3);

        using var response = await nginx.Client.PostAsJsonAsync("anomaly/predict", Telemetry.PredictBody(row));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}\n{nginx.Output}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(await Telemetry.PredictRmseAsync(first.Client, "predict", row), json.RootElement.GetProperty("rmse").GetDouble());
        Assert.Equal(Telemetry.FeatureCount, json.RootElement.GetProperty("reconstruction").GetArrayLength());
    }

    [Fact]
    public async Task PredictBatch_ThroughNginx_AnswersOneResultPerRowWithTheServicesScores()
    {
        var (first, second) = await fixture.GetPairAsync();
        using var nginx = await NginxServer.StartAsync([first.Address, second.Address]);
        double[][] rows = [Telemetry.RowAt(0.2), Telemetry.RowAt(0.5), Telemetry.RowAt(0.9)];

        using var response = await nginx.Client.PostAsJsonAsync("anomaly/predict/batch", Telemetry.BatchBody(rows));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}\n{nginx.Output}");
        using var json = JsonDocument.Parse(body);
        var results = json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("rmse").GetDouble()).ToList();
        var direct = new List<double>();
        foreach (var row in rows)
        {
            direct.Add(await Telemetry.PredictRmseAsync(second.Client, "predict", row));
        }
        Assert.Equal(direct, results);
    }

    [Fact]
    public async Task PredictBatch_OfMaxBatchSizeRows_PassesNginxBodyLimit()
    {
        // 4096 rows (Scoring:MaxBatchSize) are ~3 MB of JSON: over nginx's default 1 MB, under the shipped 16 MB.
        var (first, second) = await fixture.GetPairAsync();
        using var nginx = await NginxServer.StartAsync([first.Address, second.Address]);
        var rows = Enumerable.Range(0, 4096).Select(i => Telemetry.RowAt(i % 100 / 100.0)).ToList();
        var content = JsonContent.Create(Telemetry.BatchBody(rows));
        await content.LoadIntoBufferAsync();

        using var response = await nginx.Client.PostAsync("anomaly/predict/batch", content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(content.Headers.ContentLength > 1024 * 1024, $"The batch is only {content.Headers.ContentLength} bytes");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 500)]}\n{nginx.Output}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal(4096, json.RootElement.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Body_OverTheServicesLimit_IsRefusedByNginxWith413Problem()
    {
        var (first, second) = await fixture.GetPairAsync();
        using var nginx = await NginxServer.StartAsync([first.Address, second.Address]);
        var before = await PredictionsAsync(first) + await PredictionsAsync(second);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(new string(' ', (16 * 1024 * 1024) + 1)));
        content.Headers.ContentType = new("application/json");

        using var response = await nginx.Client.PostAsync("anomaly/predict/batch", content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(413, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(before, await PredictionsAsync(first) + await PredictionsAsync(second));
    }

    [Fact]
    public async Task Requests_ThroughNginx_AreSpreadOverBothInstances()
    {
        var (first, second) = await fixture.GetPairAsync();
        using var nginx = await NginxServer.StartAsync([first.Address, second.Address]);
        var before = (First: await PredictionsAsync(first), Second: await PredictionsAsync(second));

        for (var i = 0; i < 6; i++)
        {
            await Telemetry.PredictRmseAsync(nginx.Client, "anomaly/predict", Telemetry.RowAt(0.4));
        }

        // Round robin: the six rows are shared between the replicas (three each, unless a worker switched).
        var toFirst = await PredictionsAsync(first) - before.First;
        var toSecond = await PredictionsAsync(second) - before.Second;
        Assert.Equal(6, toFirst + toSecond);
        Assert.True(toFirst >= 1 && toSecond >= 1, $"One replica got all the requests: {toFirst} and {toSecond}");
    }

    [Fact]
    public async Task Post_WhenOneReplicaAnswers503_IsRetriedOnTheOtherAndSucceeds()
    {
        // A replica that is up but not ready answers 503; scoring has no side effects, so nginx may resend
        // the POST (non_idempotent) instead of passing the 503 on.
        var (first, _) = await fixture.GetPairAsync();
        using var notReady = new StatusServer(HttpStatusCode.ServiceUnavailable);
        using var nginx = await NginxServer.StartAsync([notReady.Address, first.Address]);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await nginx.Client.PostAsJsonAsync("anomaly/predict", Telemetry.PredictBody(Telemetry.RowAt(0.5)));
            statuses.Add(response.StatusCode);
        }

        Assert.Contains("POST /predict", notReady.RequestLog);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task Predict_WhenNoReplicaAnswers_Is503Problem()
    {
        using var nginx = await NginxServer.StartAsync([$"127.0.0.1:{LoopbackPort.Free()}", $"127.0.0.1:{LoopbackPort.Free()}"]);

        using var response = await nginx.Client.PostAsJsonAsync("anomaly/predict", Telemetry.PredictBody(Telemetry.RowAt(0.5)));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(503, json.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task SwaggerUi_ThroughNginx_LoadsWithItsAssetsAndADocumentUnderTheAnomalyPrefix()
    {
        var (first, second) = await fixture.GetPairAsync();
        using var nginx = await NginxServer.StartAsync([first.Address, second.Address]);

        using var index = await nginx.Client.GetAsync("anomaly/swagger/index.html");
        var html = await index.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(await nginx.Client.GetStringAsync("anomaly/swagger/v1/swagger.json"));

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger-ui", html, StringComparison.Ordinal);
        // Every script and stylesheet the page loads resolves under /anomaly/swagger/ through nginx.
        var assets = AssetReference().Matches(html).Select(m => m.Groups["url"].Value).Where(u => !u.StartsWith("data:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(assets);
        foreach (var asset in assets)
        {
            using var response = await nginx.Client.GetAsync(new Uri(new Uri(nginx.Client.BaseAddress!, "anomaly/swagger/index.html"), asset));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset} through nginx answered {(int)response.StatusCode}");
        }
        // X-Forwarded-Prefix reached the service: "Try it out" posts to /anomaly/predict.
        Assert.Equal("/anomaly", document.RootElement.GetProperty("servers")[0].GetProperty("url").GetString());
        Assert.True(document.RootElement.GetProperty("paths").TryGetProperty("/predict", out _));
    }

    [Theory]
    [InlineData("anomaly/metrics")]
    [InlineData("anomaly/metrics/")]
    [InlineData("anomaly/METRICS")]
    [InlineData("anomaly//metrics")]
    [InlineData("anomaly/%6detrics")]
    [InlineData("anomaly/./metrics")]
    [InlineData("anomaly/anomaly/metrics")]
    [InlineData("metrics")]
    public async Task Metrics_ThroughNginx_AreNotReachable(string path)
    {
        var (first, second) = await fixture.GetPairAsync();
        using var nginx = await NginxServer.StartAsync([first.Address, second.Address]);

        using var proxied = await nginx.Client.GetAsync(path);
        var body = await proxied.Content.ReadAsStringAsync();
        using var direct = await first.Client.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.NotFound, proxied.StatusCode);
        Assert.DoesNotContain("anomaly_score", body, StringComparison.Ordinal);
        // The replica itself still serves them, to Prometheus on the internal network.
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Contains("anomaly_score", await direct.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ThroughNginx_ReportsTheReplicaReady()
    {
        var (first, second) = await fixture.GetPairAsync();
        using var nginx = await NginxServer.StartAsync([first.Address, second.Address]);

        using var response = await nginx.Client.GetAsync("anomaly/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Healthy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<double> PredictionsAsync(ApiInstance api)
    {
        var metrics = await api.Client.GetStringAsync("metrics");
        var match = PredictionsTotal().Match(metrics);
        return match.Success ? double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"^anomaly_predictions_total\{[^}]*source=""api""[^}]*\} (?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex PredictionsTotal();

    [GeneratedRegex(@"(?:src|href)=""(?<url>[^""]+\.(?:js|css))""")]
    private static partial Regex AssetReference();
}
