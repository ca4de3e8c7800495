using AnomalyApi.Core.Features;
using AnomalyApi.Core.Telemetry;
using AnomalyApi.Tests.Shared;
using Xunit.Abstractions;

namespace AnomalyApi.Core.Tests.Telemetry;

/// <summary>
/// A CPU burn started by the test shows in the next vectors that the collector's feed builds from Debian's
/// real node_exporter. Category "Load": tests/run-tests.sh runs these alone, after every other test, so the
/// burn measures this test's load and not the other suites' (and does not slow them down).
/// </summary>
[Trait("Category", "Load")]
public sealed class CpuBurnTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private NodeExporterProcess? _exporter;

    public async Task InitializeAsync() => _exporter = await NodeExporterProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_exporter is not null)
        {
            await _exporter.DisposeAsync();
        }
        _http.Dispose();
    }

    [Fact]
    public async Task NextAsync_DuringABusyLoopOnEveryCpu_ShowsTheUserFractionRise()
    {
        var cpus = NodeFeatureBuilder.CpusIn(await new NodeExporterFeed(_http, _exporter!.MetricsUrl, []).ScrapeAsync()).Count;
        var features = NodeFeatureNames.For(cpus);
        var feed = new NodeExporterFeed(_http, _exporter.MetricsUrl, features);
        await feed.NextAsync();
        await Task.Delay(Interval);
        var idle = (await feed.NextAsync())!;

        NodeFeatureVector burning;
        using (var burn = new CancellationTokenSource())
        {
            var spinners = Enumerable.Range(0, cpus).Select(_ => Task.Factory.StartNew(
                () => Spin(burn.Token), TaskCreationOptions.LongRunning)).ToArray();
            // A scrape taken once the burn has started, so the next interval is entirely under load.
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            await feed.NextAsync();
            await Task.Delay(Interval);
            burning = (await feed.NextAsync())!;
            burn.Cancel();
            await Task.WhenAll(spinners);
        }

        var idleUser = UserSum(idle, features);
        var burningUser = UserSum(burning, features);
        output.WriteLine($"user fraction summed over {cpus} CPUs: idle {idleUser:F3}, burning {burningUser:F3}");
        // Each CPU's modes still sum to 1 under load.
        for (var cpu = 0; cpu < cpus; cpu++)
        {
            Assert.InRange(burning.Result.Values.Skip(cpu * 8).Take(8).Sum(), 0.98f, 1.02f);
        }
        // Near saturation while burning, and a clear rise over the interval before: measured here 0.30 -> 1.95
        // on a quiet machine, 1.46 -> 1.93 with a build running beside it (which the load phase avoids).
        Assert.True(burningUser >= 0.6 * cpus, $"user fraction summed over {cpus} CPUs while burning: {burningUser:F3} (idle: {idleUser:F3})");
        Assert.True(burningUser >= idleUser + 0.1 * cpus, $"user fraction rose from {idleUser:F3} to only {burningUser:F3}");
    }

    private static float UserSum(NodeFeatureVector vector, IReadOnlyList<string> features)
    {
        Assert.True(vector.Result.IsComplete, string.Join("; ", vector.Result.Missing));
        return features.Select((name, i) => (name, i)).Where(f => f.name.EndsWith("_user", StringComparison.Ordinal)).Sum(f => vector.Result.Values[f.i]);
    }

    private static void Spin(CancellationToken token)
    {
        var x = 0UL;
        while (!token.IsCancellationRequested)
        {
            for (var i = 0; i < 100_000; i++)
            {
                x = x * 6364136223846793005UL + 1442695040888963407UL;
            }
        }
        GC.KeepAlive(x);
    }
}
