using System.Net;
using AnomalyApi.Contracts;
using AnomalyApi.Http;
using AnomalyApi.Model;
using AnomalyApi.OpenApi;
using AnomalyApi.Scoring;
using AnomalyApi.Validation;
using FluentValidation;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Extensions;

public static class AnomalyApiServiceExtensions
{
    /// <summary>Everything the service needs: options, the model, scoring, validators, JSON, errors, health, Swagger, proxies.</summary>
    public static WebApplicationBuilder AddAnomalyApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // Options, validated at start with messages that name the key.
        services.AddOptions<ModelOptions>()
            .BindConfiguration(ModelOptions.SectionName)
            .Validate(o => string.IsNullOrWhiteSpace(o.OnnxPath) == string.IsNullOrWhiteSpace(o.ConfigPath),
                "Model:OnnxPath and Model:ConfigPath must be set together (or neither, to use Model:Directory)")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Directory) || !string.IsNullOrWhiteSpace(o.OnnxPath),
                "Model:Directory must not be empty")
            .ValidateOnStart();
        services.AddOptions<ScoringOptions>()
            .BindConfiguration(ScoringOptions.SectionName)
            .Validate(o => o.MaxBatchSize is >= 1 and <= 1_000_000, "Scoring:MaxBatchSize must be between 1 and 1000000")
            .Validate(o => o.TopFeatures >= 0, "Scoring:TopFeatures must be 0 or more")
            .Validate(o => o.MaxRequestBodyBytes >= 1024, "Scoring:MaxRequestBodyBytes must be at least 1024")
            .ValidateOnStart();
        services.AddOptions<ProxyOptions>()
            .BindConfiguration(ProxyOptions.SectionName)
            .Configure<IConfiguration>((o, configuration) => o.PathBase ??= configuration["PathBase"])
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)),
                "ForwardedHeaders:KnownProxies must list IP addresses")
            .Validate(o => o.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)),
                "ForwardedHeaders:KnownNetworks must list CIDR networks such as 10.0.0.0/8")
            .Validate(o => string.IsNullOrEmpty(o.PathBase) || (o.PathBase.StartsWith('/') && o.PathBase.Length > 1),
                "PathBase must start with '/', e.g. /anomaly")
            .ValidateOnStart();

        // The model: loaded once before the server starts (RunAnomalyApiAsync), shared by every request.
        services.AddSingleton<ModelProvider>();
        services.AddSingleton<PredictionService>();
        services.AddValidatorsFromAssemblyContaining<PredictRequestValidator>(ServiceLifetime.Singleton);

        // Responses through the source-generated contracts; camelCase.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, AnomalyJsonContext.Default));

        // Every error body is application/problem+json.
        services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemDetailsDefaults.AddContentTypeError);
        services.AddExceptionHandler<UnhandledExceptionHandler>();

        services.AddHealthChecks().AddCheck<ModelReadyHealthCheck>(ModelReadyHealthCheck.Name, tags: [HealthTags.Ready]);

        services.AddAnomalySwagger();

        // Behind nginx: trust X-Forwarded-For/Proto/Prefix from loopback (the defaults) and the configured proxies.
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedPrefix;
            foreach (var address in proxy.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(address));
            }
            foreach (var network in proxy.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });

        return builder;
    }
}

internal static class HealthTags
{
    public const string Ready = "ready";
}
