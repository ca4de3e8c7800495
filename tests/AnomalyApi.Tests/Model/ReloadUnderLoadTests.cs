using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace AnomalyApi.Tests.Model;

/// <summary>
/// Issue 7's reload test: 16 clients post /predict continuously while the model files are replaced 20 times,
/// alternating two valid models, with a corrupt ONNX file and a config that disagrees with its ONNX file among them.
/// </summary>
[Trait("Category", "Load")]
public sealed class ReloadUnderLoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Clients = 16;
    private const int Replacements = 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ModelVariants _models = new();
    private ReloadHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new ReloadHost(_models, watchFiles: true, debounceMilliseconds: 200);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ReplacingTheModelFilesTwentyTimesUnderLoad_FailsNoRequestAndServesOnlyTheValidModels()
    {
        var rows = TestModel.Rows(8, seed: 77);
        var expectedA = rows.Select(row => _models.ScorerA.Score(row)).ToArray();
        var expectedB = rows.Select(row => _models.ScorerB.Score(row)).ToArray();
        Assert.All(Enumerable.Range(0, rows.Length), i => Assert.NotEqual(expectedA[i].Rmse[0], expectedB[i].Rmse[0]));
        var failuresBefore = await _host.MetricAsync("anomaly_model_reload_failures_total");

        var answers = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            using var http = _host.CreateClient();
            for (var i = client; !stop.IsCancellationRequested; i++)
            {
                var r = i % rows.Length;
                try
                {
                    var which = await ReloadHost.PredictAndIdentifyAsync(http, rows[r], expectedA[r], expectedB[r]);
                    answers.AddOrUpdate(which, 1, (_, n) => n + 1);
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex.Message);
                }
            }
        })).ToArray();

        // Steps 6 and 13 are the bad ones; the valid steps alternate B, A, B, ... from the A served at start.
        var served = _models.A;
        var badErrors = new List<string>();
        var seenVersions = new HashSet<string>();
        for (var step = 1; step <= Replacements; step++)
        {
            if (step is 6 or 13)
            {
                var bad = step == 6 ? _models.Corrupt : _models.ConfigDisagreeingWithOnnx;
                _models.WriteAtomically(bad);
                var expectedProblem = step == 6 ? "is not a model ONNX Runtime can load" : "but the config lists 37 features";
                var model = await _host.WaitForModelAsync(
                    m => ((string?)m["lastReloadError"]?["message"])?.Contains(expectedProblem, StringComparison.Ordinal) == true,
                    Patience, $"the {bad.Version} files reported");
                Assert.True(ReloadHost.Serves(model, served), $"step {step}: the {bad.Version} files replaced the served model: {model.ToJsonString()}");
                badErrors.Add((string)model["lastReloadError"]!["message"]!);
            }
            else
            {
                served = served == _models.A ? _models.B : _models.A;
                _models.WriteAtomically(served);
                var next = served;
                var model = await _host.WaitForModelAsync(m => ReloadHost.Serves(m, next) && m["lastReloadError"] is null,
                    Patience, $"model {served.Version}");
                seenVersions.Add((string)model["version"]!);
            }
            // Let the clients see every model for a while.
            await Task.Delay(150);
            Assert.Equal([$"anomaly_model_info{{model=\"{_models.Name}\",version=\"{served.Version}\",sha256=\"{served.Sha256}\"}} 1"],
                await _host.ModelInfoSeriesAsync());
        }
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        output.WriteLine($"answers: {string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key}={a.Value}"))}; failures: {failures.Count}");

        Assert.Empty(failures);
        Assert.Equal(["a", "b"], answers.Keys.Order());
        Assert.Equal(["a", "b"], seenVersions.Order());
        Assert.Equal(2, badErrors.Count);
        Assert.True(await _host.MetricAsync("anomaly_model_reload_failures_total") >= failuresBefore + 2);
        Assert.DoesNotContain(_host.Logs, line => line.Contains("ObjectDisposedException", StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Logs, line => line.Contains($"now serving {_models.Name} bad-config", StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Logs, line => line.Contains($"sha256 {_models.Corrupt.Sha256}", StringComparison.Ordinal));
        var served18 = await _host.GetModelAsync();
        Assert.NotEqual(_models.Corrupt.Sha256, (string?)served18["sha256"]);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _models.Dispose();
    }
}
