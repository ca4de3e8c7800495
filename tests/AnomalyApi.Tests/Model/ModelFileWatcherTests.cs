using System.Collections.Concurrent;

namespace AnomalyApi.Tests.Model;

/// <summary>Model:WatchFiles: replacing the files in Model:Directory is enough to roll a model out.</summary>
public sealed class ModelFileWatcherTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly ModelVariants _models = new();
    private ReloadHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new ReloadHost(_models, watchFiles: true, debounceMilliseconds: 300);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task FilesRenamedIntoPlace_AreServedWithoutAnyRequestAskingForIt()
    {
        Assert.True(ReloadHost.Serves(await _host.GetModelAsync(), _models.A));

        _models.WriteAtomically(_models.B);

        var model = await _host.WaitForModelAsync(m => ReloadHost.Serves(m, _models.B), Patience, "model b");
        Assert.Null(model["lastReloadError"]);
    }

    [Fact]
    public async Task FilesOverwrittenInPlaceSlowly_EndServedWhileEveryRequestSucceeds()
    {
        var row = TestModel.RowAt(0.45);
        var expectedA = _models.ScorerA.Score(row);
        var expectedB = _models.ScorerB.Score(row);
        var answers = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var client = _host.CreateClient();
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                answers.Enqueue(await ReloadHost.PredictAndIdentifyAsync(client, row, expectedA, expectedB));
            }
        });

        // Four chunks 100 ms apart per file: shorter gaps than the 300 ms debounce, so usually one reload at the end;
        // on a busy machine a torn file may be loaded first, fail validation and be reported, never served.
        await _models.OverwriteInPlaceAsync(_models.B, chunks: 4, pause: TimeSpan.FromMilliseconds(100));
        var model = await _host.WaitForModelAsync(m => ReloadHost.Serves(m, _models.B) && m["lastReloadError"] is null,
            Patience, "model b with no reload error");
        await Task.Delay(200);
        await stop.CancelAsync();
        await traffic;  // rethrows the first failed or unrecognised answer

        Assert.Equal("b", (string?)model["version"]);
        Assert.Contains("a", answers);
        Assert.Equal("b", answers.Last());
        Assert.DoesNotContain(_host.Logs, line => line.Contains("ObjectDisposedException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACorruptFileDroppedIn_IsReportedOnModelAndNotServed()
    {
        _models.WriteAtomically(_models.Corrupt);

        var model = await _host.WaitForModelAsync(m => m["lastReloadError"] is not null, Patience, "a reload error");

        Assert.True(ReloadHost.Serves(model, _models.A));
        Assert.Equal("file-change", (string?)model["lastReloadError"]!["trigger"]);
        Assert.Contains(_models.OnnxPath, (string?)model["lastReloadError"]!["message"]);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _models.Dispose();
    }
}
