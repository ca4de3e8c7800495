using System.Net;
using System.Text.Json.Nodes;

namespace AnomalyApi.Tests.Model;

/// <summary>POST /admin/model/reload, with the file watcher off so only the endpoint reloads.</summary>
public sealed class AdminReloadEndpointTests : IAsyncLifetime
{
    private readonly ModelVariants _models = new();
    private ReloadHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new ReloadHost(_models, watchFiles: false);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ReloadModel_AfterNewFiles_ServesThemAndSaysSo()
    {
        var row = TestModel.RowAt(0.35);
        var reloadsBefore = await _host.MetricAsync("anomaly_model_reloads_total");
        Assert.True(ReloadHost.Serves(await _host.GetModelAsync(), _models.A));
        _models.WriteAtomically(_models.B);

        var response = await _host.PostReloadAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("reloaded", (string?)body["outcome"]);
        Assert.Equal(_models.Name, (string?)body["name"]);
        Assert.Equal("b", (string?)body["version"]);
        Assert.Equal(_models.B.Sha256, (string?)body["sha256"]);
        var model = await _host.GetModelAsync();
        Assert.True(ReloadHost.Serves(model, _models.B));
        Assert.Null(model["lastReloadError"]);
        Assert.Equal("b", await ReloadHost.PredictAndIdentifyAsync(_host.Client, row, _models.ScorerA.Score(row), _models.ScorerB.Score(row)));
        Assert.Equal([$"anomaly_model_info{{model=\"{_models.Name}\",version=\"b\",sha256=\"{_models.B.Sha256}\"}} 1"],
            await _host.ModelInfoSeriesAsync());
        Assert.Equal(reloadsBefore + 1, await _host.MetricAsync("anomaly_model_reloads_total"));
    }

    [Fact]
    public async Task ReloadModel_WithTheServedFiles_AnswersUnchanged()
    {
        var response = await _host.PostReloadAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("unchanged", (string?)body["outcome"]);
        Assert.Equal(_models.A.Sha256, (string?)body["sha256"]);
    }

    [Fact]
    public async Task ReloadModel_WithACorruptOnnxFile_Answers409AndKeepsServingTheOldModel()
    {
        var row = TestModel.RowAt(0.6);
        var failuresBefore = await _host.MetricAsync("anomaly_model_reload_failures_total");
        _models.WriteAtomically(_models.Corrupt);

        var response = await _host.PostReloadAsync();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains($"{_models.OnnxPath}: '(onnx)': is not a model ONNX Runtime can load", (string?)problem["detail"]);
        Assert.Equal(_models.A.Sha256, (string?)problem["servedSha256"]);
        var model = await _host.GetModelAsync();
        Assert.True(ReloadHost.Serves(model, _models.A));
        Assert.Equal((string?)problem["detail"], (string?)model["lastReloadError"]?["message"]);
        Assert.Equal("admin", (string?)model["lastReloadError"]?["trigger"]);
        Assert.Equal("a", await ReloadHost.PredictAndIdentifyAsync(_host.Client, row, _models.ScorerA.Score(row), _models.ScorerB.Score(row)));
        Assert.Equal(failuresBefore + 1, await _host.MetricAsync("anomaly_model_reload_failures_total"));
        Assert.Equal(1, await _host.MetricAsync("anomaly_model_reload_failing"));
        Assert.Equal([$"anomaly_model_info{{model=\"{_models.Name}\",version=\"a\",sha256=\"{_models.A.Sha256}\"}} 1"],
            await _host.ModelInfoSeriesAsync());
        Assert.Contains(_host.Logs, line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains("Model reload on admin failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReloadModel_WithAConfigThatDisagreesWithTheOnnxFile_Answers409NamingTheMismatch()
    {
        _models.WriteAtomically(_models.ConfigDisagreeingWithOnnx);

        var response = await _host.PostReloadAsync();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("input 'x' has last dimension 38, but the config lists 37 features", (string?)problem["detail"]);
        var model = await _host.GetModelAsync();
        Assert.Equal("a", (string?)model["version"]);
        Assert.Equal(38, (int?)model["featureCount"]);
    }

    [Fact]
    public async Task ReloadModel_AfterAFailure_ClearsLastReloadErrorWhenGoodFilesArrive()
    {
        _models.WriteAtomically(_models.Corrupt);
        Assert.Equal(HttpStatusCode.Conflict, (await _host.PostReloadAsync()).StatusCode);
        Assert.Equal(1, await _host.MetricAsync("anomaly_model_reload_failing"));
        _models.WriteAtomically(_models.B);

        var response = await _host.PostReloadAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var model = await _host.GetModelAsync();
        Assert.True(ReloadHost.Serves(model, _models.B));
        Assert.Null(model["lastReloadError"]);
        Assert.Equal(0, await _host.MetricAsync("anomaly_model_reload_failing"));
    }

    [Fact]
    public async Task ReloadModel_AfterAFailure_ClearsTheFailingGaugeWhenTheServedFilesArePutBack()
    {
        _models.WriteAtomically(_models.Corrupt);
        Assert.Equal(HttpStatusCode.Conflict, (await _host.PostReloadAsync()).StatusCode);
        Assert.Equal(1, await _host.MetricAsync("anomaly_model_reload_failing"));
        _models.WriteAtomically(_models.A);

        var response = await _host.PostReloadAsync();

        Assert.Equal("unchanged", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["outcome"]);
        Assert.Null((await _host.GetModelAsync())["lastReloadError"]);
        Assert.Equal(0, await _host.MetricAsync("anomaly_model_reload_failing"));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _models.Dispose();
    }
}
