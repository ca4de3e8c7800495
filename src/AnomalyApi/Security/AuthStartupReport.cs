using AnomalyApi.Observability;

namespace AnomalyApi.Security;

/// <summary>Says at start which doors are open, so an operator never learns it from a 401 (or its absence).</summary>
internal sealed class AuthStartupReport(ApiKeyStore keys, ILoggerFactory loggerFactory) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var log = loggerFactory.CreateLogger("AnomalyApi.Security");
        if (keys.ApiOpen)
        {
            Log.ApiOpen(log);
        }
        if (keys.AdminClosed)
        {
            Log.AdminClosed(log);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
