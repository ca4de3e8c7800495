using System.Globalization;
using System.Net;
using System.Text;
using AnomalyApi.Tests.Shared;

namespace AnomalyApi.Tests.Collector;

/// <summary>
/// A loopback stand-in for node_exporter on a 4-CPU machine, for scoring with the shipped 4-CPU model on a machine
/// with fewer CPUs. Each scrape advances the CPU counters by <see cref="Fractions"/> and node_time_seconds by exactly
/// 1 s, so every vector is known in advance whatever the wall clock does: each CPU's mode fractions are
/// <see cref="Fractions"/>, the memory gauges are <see cref="Memory"/>. Same names, labels and HELP/TYPE lines as
/// Debian's prometheus-node-exporter 1.5.0 (tests/AnomalyApi.Core.Tests/TestData/node_exporter/scrape1.prom).
/// </summary>
public sealed class FourCpuExporter : IAsyncDisposable
{
    public static readonly IReadOnlyDictionary<string, double> Fractions = new Dictionary<string, double>
    {
        ["idle"] = 0.875, ["iowait"] = 0.0, ["irq"] = 0.0, ["nice"] = 0.0,
        ["softirq"] = 0.0, ["steal"] = 0.0, ["system"] = 0.0625, ["user"] = 0.0625,
    };

    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private int _scrapes;

    public FourCpuExporter(IReadOnlyDictionary<string, double> memory)
    {
        Memory = memory;
        var port = NodeExporterProcess.FreeLoopbackPort();
        MetricsUrl = new Uri($"http://127.0.0.1:{port}/metrics");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public Uri MetricsUrl { get; }

    /// <summary>node_memory_* gauge name → bytes.</summary>
    public IReadOnlyDictionary<string, double> Memory { get; }

    public int Scrapes => Volatile.Read(ref _scrapes);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var body = Encoding.UTF8.GetBytes(Scrape(Interlocked.Increment(ref _scrapes)));
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private string Scrape(int n)
    {
        var text = new StringBuilder()
            .Append("# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n")
            .Append("# TYPE node_cpu_seconds_total counter\n");
        for (var cpu = 0; cpu < 4; cpu++)
        {
            foreach (var (mode, fraction) in Fractions)
            {
                // Binary fractions and small counters: exact in float and double, so the expected vector is exact.
                text.Append(CultureInfo.InvariantCulture, $"node_cpu_seconds_total{{cpu=\"{cpu}\",mode=\"{mode}\"}} {100 * (cpu + 1) + n * fraction}\n");
            }
        }
        foreach (var (name, bytes) in Memory)
        {
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} Memory information field.\n# TYPE {name} gauge\n{name} {bytes:R}\n");
        }
        return text
            .Append("# HELP node_time_seconds System time in seconds since epoch (1970).\n")
            .Append("# TYPE node_time_seconds gauge\n")
            .Append(CultureInfo.InvariantCulture, $"node_time_seconds {1_700_000_000 + n}\n")
            .ToString();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
