using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AnomalyApi.Model;

/// <summary>/health/ready: healthy once the model is loaded and its warm-up run has passed.</summary>
public sealed class ModelReadyHealthCheck(ModelProvider model) : IHealthCheck
{
    public const string Name = "model";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(model.IsReady
            ? HealthCheckResult.Healthy($"{model.Scorer.Config.ModelName} loaded at {model.Scorer.Info.LoadedAt:O}")
            : HealthCheckResult.Unhealthy("The model is not loaded yet."));
}
