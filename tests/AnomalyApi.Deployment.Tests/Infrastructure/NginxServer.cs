using System.Net;
using System.Text.RegularExpressions;

namespace AnomalyApi.Deployment.Tests.Infrastructure;

/// <summary>
/// Debian's nginx on the shipped nginx/nginx.conf, rendered for a temp prefix: `listen 80;` becomes a free
/// loopback port and the servers of nginx/upstream.conf become the given loopback addresses (their parameters
/// kept). pid and logs stay in the temp folder or on the process's own output; the master runs in the
/// foreground and Dispose kills it with its workers by PID.
/// </summary>
internal sealed partial class NginxServer : IDisposable
{
    private const string ShippedListen = "listen 80;";

    private readonly ExternalProcess _process;

    private NginxServer(ExternalProcess process, string prefix, int port)
    {
        _process = process;
        Prefix = prefix;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Prefix { get; }

    public int Port { get; }

    public HttpClient Client { get; }

    /// <summary>nginx's error log and access log (both go to its standard streams in the shipped config).</summary>
    public string Output => _process.Output;

    /// <summary>Writes nginx.conf and upstream.conf into a new temp folder and returns it.</summary>
    public static string Render(int port, IReadOnlyList<string> upstreamAddresses)
    {
        var conf = Repository.ReadText("nginx", "nginx.conf");
        var listens = Regex.Matches(conf, Regex.Escape(ShippedListen)).Count;
        Assert.True(listens == 1, $"nginx/nginx.conf should have exactly one '{ShippedListen}' line to render for a test port; it has {listens}");

        var upstream = Repository.ReadText("nginx", "upstream.conf");
        var servers = ServerLine().Matches(upstream);
        Assert.True(servers.Count == upstreamAddresses.Count,
            $"nginx/upstream.conf lists {servers.Count} servers; the test renders {upstreamAddresses.Count}");
        var index = 0;
        var renderedUpstream = ServerLine().Replace(upstream, m => $"{m.Groups["head"].Value}{upstreamAddresses[index++]}{m.Groups["tail"].Value}");

        var prefix = Directory.CreateTempSubdirectory("anomaly-nginx-").FullName;
        File.WriteAllText(Path.Combine(prefix, "nginx.conf"), conf.Replace(ShippedListen, $"listen 127.0.0.1:{port};", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(prefix, "upstream.conf"), renderedUpstream);
        return prefix;
    }

    /// <summary>`nginx -t` on a rendered configuration.</summary>
    public static Task<ProcessResult> TestConfigurationAsync(string prefix) =>
        ExternalProcess.RunAsync(Programs.Nginx, [.. Arguments(prefix), "-t"], TimeSpan.FromSeconds(30));

    public static async Task<NginxServer> StartAsync(IReadOnlyList<string> upstreamAddresses)
    {
        var port = LoopbackPort.Free();
        var prefix = Render(port, upstreamAddresses);
        var server = new NginxServer(ExternalProcess.Start(Programs.Nginx, Arguments(prefix)), prefix, port);
        try
        {
            using var probe = new HttpClient { BaseAddress = server.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.Until(
                async () =>
                {
                    Assert.False(server._process.HasExited, $"nginx exited at start:\n{server.Output}");
                    return (await probe.GetAsync("nginx-health")).StatusCode;
                },
                status => status == HttpStatusCode.OK,
                TimeSpan.FromSeconds(30),
                (status, error) => $"nginx /nginx-health answered {status} ({error?.Message}):\n{server.Output}");
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        _process.Dispose();
        try
        {
            Directory.Delete(Prefix, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // -e: the error log before the config is read (Debian's default is stderr too, but say so);
    // -g: foreground, pid in the prefix; the shipped file sets neither, for the image's `nginx -g "daemon off;"`.
    private static string[] Arguments(string prefix) =>
        ["-p", prefix + "/", "-c", Path.Combine(prefix, "nginx.conf"), "-e", "stderr", "-g", $"daemon off; pid {Path.Combine(prefix, "nginx.pid")};"];

    [GeneratedRegex(@"^(?<head>\s*server\s+)(?<address>\S+?)(?<tail>(\s.*)?;)", RegexOptions.Multiline)]
    private static partial Regex ServerLine();
}
