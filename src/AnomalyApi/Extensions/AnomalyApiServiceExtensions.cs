using System.Net;
using AnomalyApi.Collector;
using AnomalyApi.Contracts;
using AnomalyApi.Hosting;
using AnomalyApi.Http;
using AnomalyApi.Model;
using AnomalyApi.Observability;
using AnomalyApi.OpenApi;
using AnomalyApi.Scoring;
using AnomalyApi.Security;
using AnomalyApi.Validation;
using FluentValidation;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace AnomalyApi.Extensions;

public static class AnomalyApiServiceExtensions
{
    /// <summary>Everything the service needs: options, the model, scoring, validators, JSON, errors, health, Swagger, proxies.</summary>
    public static WebApplicationBuilder AddAnomalyApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // First, so every setting below comes from the published appsettings.json wherever the service was started from.
        var settingsDirectory = SettingsBesideBinaries.Apply(builder.Configuration, builder.Environment.ContentRootPath, AppContext.BaseDirectory);
        services.AddSingleton(new SettingsLocation(settingsDirectory));

        // Options, validated at start with messages that name the key.
        services.AddOptions<ModelOptions>()
            .BindConfiguration(ModelOptions.SectionName)
            .Validate(o => string.IsNullOrWhiteSpace(o.OnnxPath) == string.IsNullOrWhiteSpace(o.ConfigPath),
                "Model:OnnxPath and Model:ConfigPath must be set together (or neither, to use Model:Directory)")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Directory) || !string.IsNullOrWhiteSpace(o.OnnxPath),
                "Model:Directory must not be empty")
            .Validate(o => o.ReloadDebounceMilliseconds is >= 0 and <= 600_000,
                "Model:ReloadDebounceMilliseconds must be between 0 and 600000")
            .Validate(o => o.OnnxSessions is >= 0 and <= 1024,
                "Model:OnnxSessions must be between 0 (one per processor) and 1024")
            .ValidateOnStart();
        services.AddOptions<ScoringOptions>()
            .BindConfiguration(ScoringOptions.SectionName)
            .Validate(o => o.MaxBatchSize is >= 1 and <= 1_000_000, "Scoring:MaxBatchSize must be between 1 and 1000000")
            .Validate(o => o.TopFeatures >= 0, "Scoring:TopFeatures must be 0 or more")
            .Validate(o => o.MaxRequestBodyBytes >= 1024, "Scoring:MaxRequestBodyBytes must be at least 1024")
            .Validate(o => o.MaxConcurrentBatches is >= 0 and <= 10_000, "Scoring:MaxConcurrentBatches must be between 0 (twice the processors) and 10000")
            .Validate(o => o.BatchQueueLimit is >= 0 and <= 100_000, "Scoring:BatchQueueLimit must be between 0 and 100000")
            .ValidateOnStart();
        services.AddOptions<AdaptiveOptions>()
            .BindConfiguration(AdaptiveOptions.SectionName)
            .Validate(o => o.Quantile is > 0 and < 1, "Scoring:Adaptive:Quantile must be strictly between 0 and 1")
            .Validate(o => o.Window >= 1, "Scoring:Adaptive:Window must be 1 or more")
            .Validate(o => o.MinObservations >= 0, "Scoring:Adaptive:MinObservations must be 0 or more")
            .Validate(o => Enum.IsDefined(o.Rule), "Scoring:Adaptive:Rule must be Static, Adaptive or Either")
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

        // The model: loaded before the server starts (RunAnomalyApiAsync), shared by every request, reloadable.
        services.AddSingleton<ModelProvider>();
        services.AddHostedService<ModelFileWatcher>();  // Model:WatchFiles: reload when the files are replaced
        services.AddSingleton<AnomalyLabeler>();  // one adaptive threshold per model, shared by the API and the collector
        services.AddSingleton<PredictionService>();
        services.AddValidatorsFromAssemblyContaining<PredictRequestValidator>(ServiceLifetime.Singleton);
        services.AddSingleton(typeof(RequestGate<>));  // the scoring handlers' first step: 503, binding problem, validator
        services.AddSingleton<BatchAdmission>();  // how many batch requests run at once (Scoring:MaxConcurrentBatches)

        // Responses through the source-generated contracts; camelCase.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, AnomalyJsonContext.Default));

        // Every error body is application/problem+json.
        services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemDetailsDefaults.AddContentTypeError);
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonFallbackWriter>();  // …even when Accept names no JSON type
        services.AddExceptionHandler<UnhandledExceptionHandler>();

        services.AddHealthChecks().AddCheck<ModelReadyHealthCheck>(ModelReadyHealthCheck.Name, tags: [HealthTags.Ready])
            .AddCheck<ShutdownHealthCheck>(ShutdownHealthCheck.Name, tags: [HealthTags.Ready]);  // 503 once SIGTERM arrives

        services.AddAnomalySwagger();

        // /metrics: our series, prometheus-net's HTTP and process ones, not its per-request meter adapters.
        DefaultMetrics.SuppressAdapters();
        DefaultMetrics.DisableExemplars();

        // API keys, rate limiting, request and Kestrel limits (Auth:*, RateLimiting:*, Limits:*, Kestrel:Limits:*).
        builder.AddAnomalyApiSecurity();

        builder.AddTelemetryCollector();

        // Requests on the socket threads when DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 (the Dockerfile's default).
        services.AddInlineIo();

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

    /// <summary>
    /// The live telemetry collector: options and state (GET /collector/recent answers either way), its HTTP
    /// client, the background loop (which ends at once when Collector:Enabled is false) and, only when enabled,
    /// its readiness check. Enabled is read from the validated options when services resolve, not from
    /// builder.Configuration here, so every configuration source counts, including those a host adds after
    /// Program's registrations (WebApplicationFactory's).
    /// </summary>
    public static WebApplicationBuilder AddTelemetryCollector(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CollectorOptions>()
            .BindConfiguration(CollectorOptions.SectionName)
            .Validate(o => o.IntervalSeconds > 0, "Collector:IntervalSeconds must be more than 0")
            .Validate(o => o.Source is CollectorOptions.NodeExporterSource or CollectorOptions.PrometheusSource,
                "Collector:Source must be node_exporter or prometheus")
            .Validate(o => CollectorOptions.IsHttpUrl(o.Url), "Collector:Url must be an absolute http:// or https:// URL")
            // The default Url is node_exporter's: setting only Source=prometheus would query it for /api/v1/query.
            .Validate(o => o.Source != CollectorOptions.PrometheusSource || !o.Url.TrimEnd('/').EndsWith("/metrics", StringComparison.Ordinal),
                "Collector:Url must be Prometheus's base URL (e.g. http://127.0.0.1:9090) when Collector:Source is prometheus, not a /metrics URL")
            .Validate(o => o.RecentCount >= 1, "Collector:RecentCount must be 1 or more")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CollectorOptions>, PrometheusMappingValidator>();  // the mapping file, at start
        services.AddSingleton<CollectorState>();
        services.TryAddSingleton(TimeProvider.System);

        // Every scrape is done (retries included) before the next tick: a slow exporter costs a tick, never a pile-up.
        services.AddHttpClient(TelemetryCollector.HttpClientName)
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider provider) =>
            {
                var collector = provider.GetRequiredService<IOptions<CollectorOptions>>().Value;
                resilience.AttemptTimeout.Timeout = collector.AttemptTimeout;
                resilience.TotalRequestTimeout.Timeout = collector.TotalTimeout;
                resilience.Retry.MaxRetryAttempts = 2;
                resilience.Retry.BackoffType = DelayBackoffType.Exponential;
                resilience.Retry.Delay = TimeSpan.FromSeconds(Math.Min(1, collector.IntervalSeconds / 20));
                // The breaker's window must be at least twice the attempt timeout (the options' own validation).
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, collector.IntervalSeconds * 4));
            });
        services.AddHostedService<TelemetryCollector>();
        // From the raw key, not the validated options: the health service is built before RunAnomalyApiAsync
        // reports bad settings in one line, and must not throw them first.
        services.AddOptions<HealthCheckServiceOptions>().Configure<IConfiguration>((health, configuration) =>
        {
            if (bool.TryParse(configuration[$"{CollectorOptions.SectionName}:{nameof(CollectorOptions.Enabled)}"], out var enabled) && enabled)
            {
                health.Registrations.Add(new HealthCheckRegistration(CollectorHealthCheck.Name,
                    provider => ActivatorUtilities.CreateInstance<CollectorHealthCheck>(provider),
                    failureStatus: null, tags: [HealthTags.Ready]));
            }
        });
        return builder;
    }
}

internal static class HealthTags
{
    public const string Ready = "ready";
}
