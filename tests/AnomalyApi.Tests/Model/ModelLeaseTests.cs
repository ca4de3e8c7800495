using System.Collections.Concurrent;
using AnomalyApi.Model;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Tests.Model;

/// <summary>ModelProvider without a host: leases, swaps, and when a replaced model is disposed.</summary>
public sealed class ModelLeaseTests : IDisposable
{
    private readonly ModelVariants _models = new();
    private readonly ModelProvider _provider;
    private readonly float[] _row = TestModel.RowAt(0.4);

    public ModelLeaseTests()
    {
        _provider = new ModelProvider(Options.Create(new ModelOptions { Directory = _models.Directory }),
            new HostingEnvironment { ContentRootPath = _models.Directory }, NullLogger<ModelProvider>.Instance);
        _provider.Load();
    }

    [Fact]
    public async Task Lease_HeldAcrossAReload_KeepsScoringOnTheOldModelUntilDisposed()
    {
        var lease = _provider.Acquire();
        _models.WriteAtomically(_models.B);

        var result = await _provider.ReloadAsync("test");

        Assert.Equal(ModelReloadOutcome.Reloaded, result.Outcome);
        Assert.Equal("b", result.Served.Scorer.Config.ModelVersion);
        Assert.True(_provider.IsCurrent(result.Served));
        Assert.False(lease.Model.IsReleased);
        Assert.Equal(_models.ScorerA.Score(_row).Rmse[0], lease.Model.Scorer.Score(_row).Rmse[0]);
        Assert.Equal(_models.ScorerB.Score(_row).Rmse[0], result.Served.Scorer.Score(_row).Rmse[0]);
        lease.Dispose();
        Assert.True(lease.Model.IsReleased);
        Assert.False(result.Served.IsReleased);
    }

    [Fact]
    public async Task Model_InsideALease_IsTheLeasedOneEvenAfterAReload()
    {
        using var lease = _provider.Acquire();
        _models.WriteAtomically(_models.B);

        var result = await _provider.ReloadAsync("test");

        Assert.Same(lease.Model, _provider.Model);
        Assert.NotSame(result.Served, _provider.Model);
        Assert.Equal("a", _provider.Scorer.Config.ModelVersion);
    }

    [Fact]
    public async Task Reload_OfUnchangedFiles_SwapsNothing()
    {
        var before = _provider.Model;

        var result = await _provider.ReloadAsync("test");

        Assert.Equal(ModelReloadOutcome.Unchanged, result.Outcome);
        Assert.Same(before, result.Served);
        Assert.False(before.IsReleased);
    }

    [Fact]
    public async Task Reload_OfBadFiles_KeepsTheModelAndRecordsWhy_UntilGoodFilesReturn()
    {
        var served = _provider.Model;

        _models.WriteAtomically(_models.Corrupt);
        var corrupt = await _provider.ReloadAsync("test");
        var corruptError = _provider.LastReloadError;
        _models.WriteAtomically(_models.ConfigDisagreeingWithOnnx);
        var mismatched = await _provider.ReloadAsync("test");
        var mismatchError = _provider.LastReloadError;
        _models.WriteAtomically(_models.A);
        var restored = await _provider.ReloadAsync("test");

        Assert.Equal(ModelReloadOutcome.Failed, corrupt.Outcome);
        Assert.Same(served, corrupt.Served);
        Assert.Contains("autoencoder.onnx", corrupt.Error);
        Assert.Equal(corrupt.Error, corruptError?.Message);
        Assert.Equal(ModelReloadOutcome.Failed, mismatched.Outcome);
        Assert.Contains("last dimension 38, but the config lists 37 features", mismatched.Error);
        Assert.Equal("test", mismatchError?.Trigger);
        Assert.Equal(ModelReloadOutcome.Unchanged, restored.Outcome);
        Assert.Null(_provider.LastReloadError);
        Assert.Same(served, _provider.Model);
        Assert.False(served.IsReleased);
    }

    [Fact]
    public async Task ManyThreadsScoringThroughLeases_DuringTwentyReloads_NeverMeetADisposedModel()
    {
        var expectedA = _models.ScorerA.Score(_row).Rmse[0];
        var expectedB = _models.ScorerB.Score(_row).Rmse[0];
        Assert.NotEqual(expectedA, expectedB);
        var seen = new ConcurrentDictionary<LoadedModel, byte>();
        var failures = new ConcurrentQueue<string>();
        var answers = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();

        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var lease = _provider.Acquire();
                    seen.TryAdd(lease.Model, 0);
                    var rmse = lease.Model.Scorer.Score(_row).Rmse[0];
                    var which = rmse == expectedA ? "a" : rmse == expectedB ? "b" : $"neither ({rmse:R})";
                    answers.AddOrUpdate(which, 1, (_, n) => n + 1);
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex.ToString());
                }
            }
        })).ToArray();

        for (var i = 0; i < 20; i++)
        {
            _models.WriteAtomically(i % 2 == 0 ? _models.B : _models.A);
            Assert.Equal(ModelReloadOutcome.Reloaded, (await _provider.ReloadAsync("test")).Outcome);
            await Task.Delay(20);
        }
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.Empty(failures);
        Assert.Equal(["a", "b"], answers.Keys.Order());
        var current = _provider.Model;
        Assert.All(seen.Keys.Where(model => model != current), model => Assert.True(model.IsReleased));
        Assert.False(current.IsReleased);
        _provider.Dispose();
        Assert.True(current.IsReleased);
    }

    public void Dispose()
    {
        _provider.Dispose();
        _models.Dispose();
    }
}
