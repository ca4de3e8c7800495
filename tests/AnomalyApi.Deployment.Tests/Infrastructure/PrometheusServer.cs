using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AnomalyApi.Deployment.Tests.Infrastructure;

/// <summary>
/// Debian's Prometheus on a copy of docker/prometheus: the shipped prometheus.yml and rules, with the file_sd
/// target files pointed at loopback targets (exactly what the README tells a user to edit), and, if asked, the
/// 15 s intervals shortened so a test need not wait for real scrapes. Listens on a free loopback port; its TSDB
/// lives in the temp folder; Dispose kills it by PID.
/// </summary>
internal sealed class PrometheusServer : IDisposable
{
    private readonly ExternalProcess _process;

    private PrometheusServer(ExternalProcess process, string directory, int port)
    {
        _process = process;
        Directory = directory;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Directory { get; }

    public HttpClient Client { get; }

    public string Output => _process.Output;

    /// <param name="apiTargets">host:port of each API replica (targets/anomaly-api.yml).</param>
    /// <param name="nodeExporterTarget">host:port of node_exporter (targets/node-exporter.yml).</param>
    /// <param name="interval">Replaces the shipped 15 s scrape and evaluation intervals (and the timeout) when given.</param>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyList<string> apiTargets, string nodeExporterTarget, string? interval = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("anomaly-prometheus-").FullName;
        var config = Path.Combine(directory, "config");
        try
        {
            CopyDirectory(Repository.Path("docker", "prometheus"), config);

            if (interval is not null)
            {
                var file = Path.Combine(config, "prometheus.yml");
                var text = File.ReadAllText(file);
                foreach (var key in new[] { "scrape_interval: 15s", "evaluation_interval: 15s", "scrape_timeout: 10s" })
                {
                    var count = Regex.Matches(text, Regex.Escape(key)).Count;
                    Assert.True(count == 1, $"docker/prometheus/prometheus.yml should set '{key}' once (in global); found {count}");
                    text = text.Replace(key, $"{key.Split(':')[0]}: {interval}", StringComparison.Ordinal);
                }
                File.WriteAllText(file, text);
            }
            File.WriteAllText(Path.Combine(config, "targets", "anomaly-api.yml"), $"- targets: [{string.Join(", ", apiTargets.Select(t => $"'{t}'"))}]\n");
            File.WriteAllText(Path.Combine(config, "targets", "node-exporter.yml"), $"- targets: ['{nodeExporterTarget}']\n");
        }
        catch
        {
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }

        var port = LoopbackPort.Free();
        var process = ExternalProcess.Start(Programs.Prometheus,
        [
            $"--config.file={Path.Combine(config, "prometheus.yml")}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
        ]);
        var server = new PrometheusServer(process, directory, port);
        try
        {
            using var probe = new HttpClient { BaseAddress = server.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.Until(
                async () =>
                {
                    Assert.False(process.HasExited, $"Prometheus exited at start:\n{process.Output}");
                    return (await probe.GetAsync("-/ready")).StatusCode;
                },
                status => status == HttpStatusCode.OK,
                TimeSpan.FromSeconds(30),
                (status, error) => $"Prometheus /-/ready answered {status} ({error?.Message}):\n{process.Output}");
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>GET an /api/v1 path; asserts status "success" and returns "data".</summary>
    public async Task<JsonElement> GetDataAsync(string pathAndQuery)
    {
        using var response = await Client.GetAsync(pathAndQuery);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        Assert.True(json.RootElement.GetProperty("status").GetString() == "success", $"GET {pathAndQuery} answered {(int)response.StatusCode}: {body}");
        return json.RootElement.GetProperty("data").Clone();
    }

    /// <summary>An instant query; returns data.result (a vector's samples, or a scalar's [time, value]).</summary>
    public async Task<JsonElement> QueryAsync(string promql) =>
        (await GetDataAsync($"api/v1/query?query={Uri.EscapeDataString(promql)}")).GetProperty("result");

    public void Dispose()
    {
        Client.Dispose();
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
