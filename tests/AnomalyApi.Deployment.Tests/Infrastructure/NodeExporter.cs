using System.Net;

namespace AnomalyApi.Deployment.Tests.Infrastructure;

/// <summary>Debian's prometheus-node-exporter on a free loopback port, the machine metrics the seed pipeline scrapes.</summary>
internal sealed class NodeExporter : IDisposable
{
    private readonly ExternalProcess _process;

    private NodeExporter(ExternalProcess process, int port)
    {
        _process = process;
        Address = $"127.0.0.1:{port}";
    }

    public string Address { get; }

    public static async Task<NodeExporter> StartAsync()
    {
        var port = LoopbackPort.Free();
        var exporter = new NodeExporter(ExternalProcess.Start(Programs.NodeExporter, [$"--web.listen-address=127.0.0.1:{port}"]), port);
        try
        {
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.Until(
                async () =>
                {
                    Assert.False(exporter._process.HasExited, $"node_exporter exited at start:\n{exporter._process.Output}");
                    return (await probe.GetAsync($"http://{exporter.Address}/metrics")).StatusCode;
                },
                status => status == HttpStatusCode.OK,
                TimeSpan.FromSeconds(30),
                (status, error) => $"node_exporter /metrics answered {status} ({error?.Message}):\n{exporter._process.Output}");
            return exporter;
        }
        catch
        {
            exporter.Dispose();
            throw;
        }
    }

    public void Dispose() => _process.Dispose();
}
