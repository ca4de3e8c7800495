using AnomalyApi.Core;
using AnomalyApi.Core.Configuration;
using AnomalyApi.Core.Telemetry;
using AnomalyApi.Model;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Collector;

/// <summary>
/// Collector:Source=prometheus at start: the mapping file must exist, be a mapping, and have an expression for every
/// feature of the configured model, or the service exits with one line naming the file (exit code 2), rather than
/// start a collector that can never score. The model's feature list is read from its model_config.json here
/// because options are validated before the model is loaded; a config that cannot be read is left to the model load,
/// which reports it. (A model reloaded later that needs features the file lacks is a collector problem on
/// /health/ready, not a crash.)
/// </summary>
internal sealed class PrometheusMappingValidator(IHostEnvironment environment, IOptions<ModelOptions> modelOptions)
    : IValidateOptions<CollectorOptions>
{
    private const string Key = $"{CollectorOptions.SectionName}:{nameof(CollectorOptions.MappingPath)}";

    public ValidateOptionsResult Validate(string? name, CollectorOptions options)
    {
        if (!options.Enabled || options.Source != CollectorOptions.PrometheusSource)
        {
            return ValidateOptionsResult.Skip;
        }
        if (string.IsNullOrWhiteSpace(options.MappingPath))
        {
            return ValidateOptionsResult.Fail($"{Key} must name the file that maps each feature to a PromQL expression when Collector:Source is prometheus");
        }
        var path = options.ResolveMappingPath(environment.ContentRootPath, AppContext.BaseDirectory);
        PrometheusMapping mapping;
        try
        {
            mapping = PrometheusMapping.Load(path);
        }
        catch (PrometheusMappingException ex)
        {
            return ValidateOptionsResult.Fail($"{Key}: {ex.Message}");
        }
        if (ModelFeatures() is { } features && mapping.MissingFor(features) is { Count: > 0 } missing)
        {
            return ValidateOptionsResult.Fail($"{Key}: Prometheus mapping file {path} {PrometheusMapping.DescribeMissing(missing)}");
        }
        return ValidateOptionsResult.Success;
    }

    private IReadOnlyList<string>? ModelFeatures()
    {
        try
        {
            var (_, configPath) = ModelProvider.ResolvePaths(modelOptions.Value, environment.ContentRootPath, AppContext.BaseDirectory);
            return ModelConfigReader.Read(configPath).Features;
        }
        catch (ModelLoadException)
        {
            return null;
        }
    }
}
