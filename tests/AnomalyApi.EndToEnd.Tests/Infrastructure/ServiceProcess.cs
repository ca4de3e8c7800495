using System.Globalization;
using AnomalyApi.Tests.Shared;

namespace AnomalyApi.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The service as a user runs it (`dotnet AnomalyApi.dll --urls ... --Model:Directory ...`) on a free loopback port,
/// with its background collector scraping <c>exporter</c> every <c>interval</c>.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly DotnetApp _app;

    private ServiceProcess(DotnetApp app, Uri baseAddress)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public HttpClient Client { get; }

    public string Output => _app.Output;

    public static async Task<ServiceProcess> StartAsync(string modelDirectory, Uri exporter, TimeSpan interval, int recentCount)
    {
        var address = new Uri($"http://127.0.0.1:{NodeExporterProcess.FreeLoopbackPort()}/");
        var app = DotnetApp.Start(DotnetApp.ServiceAssembly,
        [
            "--urls", address.ToString().TrimEnd('/'),
            "--Model:Directory", modelDirectory,
            "--Collector:Enabled", "true",
            "--Collector:IntervalSeconds", interval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--Collector:Url", exporter.ToString(),
            "--Collector:RecentCount", $"{recentCount}",
        ]);
        var service = new ServiceProcess(app, address);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var live = await service.Client.GetAsync("/health/live");
                if (live.IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (app.HasExited || DateTime.UtcNow > deadline)
            {
                await service.DisposeAsync();
                Assert.Fail($"the service {(app.HasExited ? "exited" : "did not answer within 60 s")}:\n{app.Output}");
            }
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
