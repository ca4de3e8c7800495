using AnomalyApi.Deployment.Tests.Infrastructure;

namespace AnomalyApi.Deployment.Tests.Prometheus;

/// <summary>
/// One instance of the published service, a node_exporter and a Prometheus on the shipped config scraping both
/// every second, shared by the tests of a class (which run one at a time) and started on first use.
/// </summary>
public sealed class ScrapedStack : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private (ApiInstance Api, NodeExporter Exporter, PrometheusServer Prometheus)? _started;

    internal async Task<(ApiInstance Api, NodeExporter Exporter, PrometheusServer Prometheus)> GetAsync(PublishedApiFixture fixture)
    {
        await _lock.WaitAsync();
        try
        {
            if (_started is null)
            {
                var api = await fixture.StartInstanceAsync();
                var exporter = await NodeExporter.StartAsync();
                var prometheus = await PrometheusServer.StartAsync([api.Address], exporter.Address, interval: "1s");
                _started = (api, exporter, prometheus);
            }
            return _started.Value;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        _started?.Prometheus.Dispose();
        _started?.Exporter.Dispose();
        _started?.Api.Dispose();
        _lock.Dispose();
    }
}
