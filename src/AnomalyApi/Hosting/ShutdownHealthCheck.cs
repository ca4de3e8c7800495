using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AnomalyApi.Hosting;

/// <summary>
/// /health/ready: unhealthy from the moment shutdown starts (SIGTERM), so a proxy or orchestrator that probes
/// readiness stops sending new work here while the requests in flight finish.
/// </summary>
public sealed class ShutdownHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public const string Name = "shutdown";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("The service is shutting down: requests in flight finish, new ones go elsewhere.")
            : HealthCheckResult.Healthy("Accepting requests."));
}
