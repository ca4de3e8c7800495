using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit;

namespace AnomalyApi.Tests.Shared;

/// <summary>
/// Debian's real Prometheus (/usr/bin/prometheus) on a free loopback port, scraping the given targets every second,
/// its TSDB in a fresh temp folder; linked into each test project that queries one (from tests/Shared). Stopped by
/// its PID on dispose. (AnomalyApi.Deployment.Tests has its own PrometheusServer, which runs the shipped
/// docker/prometheus configuration; this one runs a minimal configuration of its own.)
/// </summary>
public sealed class PrometheusProcess : IAsyncDisposable
{
    private const string PrometheusPath = "/usr/bin/prometheus";
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();

    private PrometheusProcess(Process process, string directory, Uri baseUrl)
    {
        _process = process;
        _directory = directory;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl, "/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>e.g. http://127.0.0.1:41234 (what Collector:Url takes for Source=prometheus).</summary>
    public Uri BaseUrl { get; }

    public HttpClient Client { get; }

    /// <summary>What Prometheus wrote to stdout and stderr so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="targets">host:port of each target, scraped as job "node" at /metrics every second.</param>
    public static async Task<PrometheusProcess> StartAsync(params string[] targets)
    {
        Assert.True(File.Exists(PrometheusPath), $"{PrometheusPath} is missing: install prometheus (bash tests/run-tests.sh does)");
        var directory = Directory.CreateTempSubdirectory("anomaly-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: node
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]
            """);
        var port = NodeExporterProcess.FreeLoopbackPort();
        var start = new ProcessStartInfo(PrometheusPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            $"--config.file={config}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        var prometheus = new PrometheusProcess(process, directory, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => prometheus.Append(e.Data);
        process.ErrorDataReceived += (_, e) => prometheus.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await prometheus.Client.GetAsync("-/ready");
                if (response.IsSuccessStatusCode)
                {
                    return prometheus;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            if (process.HasExited || DateTime.UtcNow >= deadline)
            {
                var output = prometheus.Output;
                await prometheus.DisposeAsync();
                Assert.Fail((process.HasExited ? "Prometheus exited at start" : "Prometheus was not ready within 30 s") + $":\n{output}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// An instant query, parsed here independently of the service's code: the one value of a one-sample vector or of
    /// a scalar, or null when the vector is empty. Fails the test on an error answer or several samples.
    /// </summary>
    public async Task<double?> QueryValueAsync(string promql, DateTimeOffset? at = null)
    {
        var uri = $"api/v1/query?query={Uri.EscapeDataString(promql)}";
        if (at is { } time)
        {
            uri += $"&time={(time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture)}";
        }
        var body = await Client.GetStringAsync(uri);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.True(root.GetProperty("status").GetString() == "success", $"{promql}: {body}");
        var data = root.GetProperty("data");
        var result = data.GetProperty("result");
        JsonElement pair;
        if (data.GetProperty("resultType").GetString() == "scalar")
        {
            pair = result;
        }
        else
        {
            Assert.True(result.GetArrayLength() <= 1, $"{promql} returned several samples: {body}");
            if (result.GetArrayLength() == 0)
            {
                return null;
            }
            pair = result[0].GetProperty("value");
        }
        return double.Parse(pair[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Waits (up to <paramref name="timeout"/>) until <paramref name="promql"/> has a value: e.g. a rate needs two scrapes.</summary>
    public async Task WaitForValueAsync(string promql, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await QueryValueAsync(promql) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{promql} had no value within {timeout.TotalSeconds} s:\n{Output}");
            await Task.Delay(250);
        }
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
