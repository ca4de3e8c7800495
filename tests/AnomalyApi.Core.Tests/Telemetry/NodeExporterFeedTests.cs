using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AnomalyApi.Core.Features;
using AnomalyApi.Core.Telemetry;

namespace AnomalyApi.Core.Tests.Telemetry;

/// <summary>The feed against Debian's real node_exporter on loopback (tests/run-tests.sh installs it).</summary>
public sealed class NodeExporterFeedTests : IAsyncLifetime
{
    private const string ExporterPath = "/usr/bin/prometheus-node-exporter";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private Process? _exporter;
    private Uri _metrics = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ExporterPath), $"{ExporterPath} is missing: install prometheus-node-exporter (bash tests/run-tests.sh does)");
        var port = FreeLoopbackPort();
        _metrics = new Uri($"http://127.0.0.1:{port}/metrics");
        var start = new ProcessStartInfo(ExporterPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Only the collectors the features need: faster scrapes, and none that fail in a container (systemd).
        foreach (var argument in new[] { $"--web.listen-address=127.0.0.1:{port}", "--collector.disable-defaults", "--collector.cpu", "--collector.meminfo", "--collector.time" })
        {
            start.ArgumentList.Add(argument);
        }
        _exporter = Process.Start(start)!;
        _exporter.OutputDataReceived += (_, _) => { };
        _exporter.ErrorDataReceived += (_, _) => { };
        _exporter.BeginOutputReadLine();
        _exporter.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await _http.GetAsync(_metrics);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !_exporter.HasExited)
            {
            }
            Assert.False(_exporter.HasExited, "node_exporter exited at start");
            Assert.True(DateTime.UtcNow < deadline, "node_exporter did not answer within 30 s");
            await Task.Delay(100);
        }
    }

    public Task DisposeAsync()
    {
        if (_exporter is { HasExited: false })
        {
            _exporter.Kill(entireProcessTree: true);
            _exporter.WaitForExit(5000);
        }
        _exporter?.Dispose();
        _http.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task NextAsync_OverTwoScrapes_GivesCpuFractionsSummingToOneAndConsistentMemory()
    {
        var probe = new NodeExporterFeed(_http, _metrics, NodeFeatureNames.Default);
        var cpus = NodeFeatureBuilder.CpusIn(await probe.ScrapeAsync());
        var features = NodeFeatureNames.For(cpus.Count);
        var feed = new NodeExporterFeed(_http, _metrics, features);

        Assert.Null(await feed.NextAsync());
        // Long enough that the ~15 ms between reading the clock and the counters stays well inside 0.02.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var vector = await feed.NextAsync();

        Assert.NotNull(vector);
        Assert.True(vector.Result.IsComplete, string.Join("; ", vector.Result.Missing));
        Assert.InRange(vector.IntervalSeconds, 2.5, 10.0);
        var values = vector.Result.Values;
        for (var cpu = 0; cpu < cpus.Count; cpu++)
        {
            var sum = values.Skip(cpu * 8).Take(8).Sum();
            Assert.InRange(sum, 0.98f, 1.02f);
        }
        float Feature(string name) => values[features.ToList().IndexOf(name)];
        Assert.Equal(Feature("node_memory_MemTotal_bytes") - Feature("node_memory_MemAvailable_bytes"), Feature("memory_used_bytes"), 1e3f);
        Assert.True(Feature("node_memory_MemAvailable_bytes") <= Feature("node_memory_MemTotal_bytes"));
    }

    [Fact]
    public async Task NextAsync_ForAModelWithMoreCpusThanTheMachine_SaysWhichFeaturesAreMissing()
    {
        var machineCpus = NodeFeatureBuilder.CpusIn(await new NodeExporterFeed(_http, _metrics, []).ScrapeAsync()).Count;
        var feed = new NodeExporterFeed(_http, _metrics, NodeFeatureNames.For(machineCpus + 1));

        await feed.NextAsync();
        var vector = await feed.NextAsync();

        Assert.False(vector!.Result.IsComplete);
        Assert.Equal(8, vector.Result.Missing.Count);
        Assert.All(vector.Result.Missing, m => Assert.StartsWith($"cpu_{machineCpus}_", m.Feature));
    }

    [Fact]
    public async Task NextAsync_WhenNothingListens_ThrowsHttpRequestException()
    {
        var feed = new NodeExporterFeed(_http, new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/metrics"), NodeFeatureNames.Default);

        await Assert.ThrowsAsync<HttpRequestException>(() => feed.NextAsync());
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
