using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace AnomalyApi.Tests.Model;

/// <summary>A request that is running when the model is swapped finishes on the model it started with.</summary>
public sealed class InFlightRequestTests : IAsyncLifetime
{
    private readonly ModelVariants _models = new();
    private ReloadHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new ReloadHost(_models, watchFiles: false);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task StreamedCsv_ReloadedMidStream_AnswersEveryRowWithTheModelItStartedOn()
    {
        // About 2 MB of NDJSON: far more than the response pipe buffers, so the handler is suspended mid-stream,
        // still scoring chunk by chunk, while the reload swaps the model.
        var rows = TestModel.Rows(2048, seed: 5);
        var expectedA = _models.ScorerA.Score(rows.SelectMany(r => r).ToArray());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict/csv")
        {
            Content = new StringContent(TestModel.Csv(rows), Encoding.UTF8, "text/csv"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));

        using var response = await _host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync();
        _models.WriteAtomically(_models.B);
        var reload = await _host.PostReloadAsync();
        Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        Assert.True(ReloadHost.Serves(await _host.GetModelAsync(), _models.B));
        var lines = new List<string> { first! };
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(line);
        }

        Assert.Equal(rows.Length, lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.Equal(expectedA.Rmse[i], JsonNode.Parse(lines[i])!["rmse"]!.GetValue<double>());
        }
        // And the next request is B's.
        Assert.Equal("b", await ReloadHost.PredictAndIdentifyAsync(_host.Client, rows[0], _models.ScorerA.Score(rows[0]), _models.ScorerB.Score(rows[0])));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _models.Dispose();
    }
}
