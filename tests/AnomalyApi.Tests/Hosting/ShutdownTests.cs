using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AnomalyApi.Tests.Hosting;

/// <summary>Readiness once shutdown starts, and the ShutdownTimeoutSeconds key (the process itself: tests/AnomalyApi.Deployment.Tests/Shutdown).</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Ready_OnceShutdownStarts_Answers503NamingTheShutdownCheck()
    {
        var hold = new HoldShutdown();
        await using var factory = new AnomalyApiFactory();
        await using var held = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IHostedService>(hold)));
        using var client = held.CreateClient();
        using var before = await client.GetAsync("/health/ready");

        // What SIGTERM does first: the host's lifetime signals ApplicationStopping (then stops, here held open).
        held.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        using var after = await client.GetAsync("/health/ready");
        hold.Release();

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
        using var json = JsonDocument.Parse(await after.Content.ReadAsStringAsync());
        var shutdown = json.RootElement.GetProperty("checks").GetProperty("shutdown");
        Assert.Equal("Unhealthy", shutdown.GetProperty("status").GetString());
        Assert.Contains("shutting down", shutdown.GetProperty("description").GetString(), StringComparison.Ordinal);
        // The model is still loaded: only the shutdown check turned readiness off.
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("model").GetProperty("status").GetString());
    }

    [Fact]
    public async Task StopApplication_LogsTheStartOfShutdownWithTheConfiguredTimeout()
    {
        await using var factory = AnomalyApiFactory.With(("ShutdownTimeoutSeconds", "7"));
        using var client = factory.CreateClient();

        factory.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.Contains(factory.Logs, l => l.Message == "Shutting down: refusing new connections, finishing requests in flight (ShutdownTimeoutSeconds 7)");
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("2.5")]
    public void Factory_WithInvalidShutdownTimeoutSeconds_FailsAndLogsTheKey(string value)
    {
        using var factory = AnomalyApiFactory.With(("ShutdownTimeoutSeconds", value));

        // The host would silently keep its default; the service refuses to start instead.
        Assert.ThrowsAny<Exception>(() => factory.CreateClient().GetAsync("/health/live").GetAwaiter().GetResult());

        var critical = Assert.Single(factory.Logs, l => l.Level == LogLevel.Critical);
        Assert.Contains("ShutdownTimeoutSeconds", critical.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", critical.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Holds the host's shutdown open (hosted services stop before the host disposes the test server) until the test
    /// has sent its request, as the requests in flight hold a real server's shutdown.
    /// </summary>
    private sealed class HoldShutdown : IHostedService
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => _released.Task.WaitAsync(cancellationToken);
    }
}
