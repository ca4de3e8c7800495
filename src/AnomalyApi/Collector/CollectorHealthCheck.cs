using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AnomalyApi.Collector;

/// <summary>
/// /health/ready, when the collector is on: Healthy once a vector has been scored and no problem followed it,
/// else Degraded with the problem in words. Never Unhealthy: /predict works without the collector, so the
/// service must stay ready (Degraded answers 200) and keep receiving traffic.
/// </summary>
public sealed class CollectorHealthCheck(CollectorState state) : IHealthCheck
{
    public const string Name = "collector";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (lastSuccessAt, problem, _, _) = state.Snapshot();
        return Task.FromResult(problem is not null
            ? HealthCheckResult.Degraded(problem)
            : lastSuccessAt is { } at
                ? HealthCheckResult.Healthy($"last vector scored at {at:O}")
                : HealthCheckResult.Degraded(CollectorState.Waiting));
    }
}
