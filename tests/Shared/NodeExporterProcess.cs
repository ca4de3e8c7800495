using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace AnomalyApi.Tests.Shared;

/// <summary>
/// Debian's real prometheus-node-exporter on a free loopback port (tests/run-tests.sh installs it), for every
/// test project that scrapes one (linked into each from tests/Shared), with only the collectors the features need
/// (faster scrapes, none that fail in a container). Stopped by its PID on dispose.
/// </summary>
public sealed class NodeExporterProcess : IAsyncDisposable
{
    private const string ExporterPath = "/usr/bin/prometheus-node-exporter";
    private readonly Process _process;

    private NodeExporterProcess(Process process, Uri metricsUrl)
    {
        _process = process;
        MetricsUrl = metricsUrl;
    }

    public Uri MetricsUrl { get; }

    public static async Task<NodeExporterProcess> StartAsync()
    {
        Assert.True(File.Exists(ExporterPath), $"{ExporterPath} is missing: install prometheus-node-exporter (bash tests/run-tests.sh does)");
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(ExporterPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { $"--web.listen-address=127.0.0.1:{port}", "--collector.disable-defaults", "--collector.cpu", "--collector.meminfo", "--collector.time" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exporter = new NodeExporterProcess(process, new Uri($"http://127.0.0.1:{port}/metrics"));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(exporter.MetricsUrl);
                if (response.IsSuccessStatusCode)
                {
                    return exporter;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline && !process.HasExited)
            {
            }
            if (process.HasExited || DateTime.UtcNow >= deadline)
            {
                await exporter.DisposeAsync();
                Assert.Fail(process.HasExited ? "node_exporter exited at start" : "node_exporter did not answer within 30 s");
            }
            await Task.Delay(100);
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
