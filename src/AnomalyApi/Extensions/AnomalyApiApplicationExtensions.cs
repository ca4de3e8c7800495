using AnomalyApi.Collector;
using AnomalyApi.Core;
using AnomalyApi.Endpoints;
using AnomalyApi.Hosting;
using AnomalyApi.Http;
using AnomalyApi.Model;
using AnomalyApi.Observability;
using AnomalyApi.Scoring;
using AnomalyApi.Security;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Extensions;

public static class AnomalyApiApplicationExtensions
{
    /// <summary>
    /// The PathBase setting, for proxies that strip their prefix without sending X-Forwarded-Prefix: requests that
    /// still carry the prefix have it moved to PathBase, the others get it as PathBase, so links and Swagger's
    /// server URL point through the proxy either way.
    /// </summary>
    public static WebApplication UseProxyPathBase(this WebApplication app)
    {
        // Read when the pipeline is built at start, after RunAnomalyApiAsync has validated the options.
        app.Use(next =>
        {
            var pathBase = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.PathBase;
            if (string.IsNullOrEmpty(pathBase))
            {
                return next;
            }
            var prefix = new PathString(pathBase.TrimEnd('/'));
            return context =>
            {
                var request = context.Request;
                if (request.Path.StartsWithSegments(prefix, out var remainder))
                {
                    request.PathBase = request.PathBase.Add(prefix);
                    request.Path = remainder;
                }
                else if (!request.PathBase.HasValue)
                {
                    request.PathBase = prefix;
                }
                return next(context);
            };
        });
        return app;
    }

    /// <summary>/predict, /predict/batch, /predict/csv, /model, /collector/recent, /admin/model/reload, and the two health endpoints.</summary>
    public static WebApplication MapAnomalyApi(this WebApplication app)
    {
        app.MapPredictEndpoints();
        app.MapModelEndpoints();
        app.MapCollectorEndpoints();
        app.MapAdminEndpoints();

        // Health stays out of the API description: it is for orchestrators, not API clients.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponse.WriteAsync })
            .AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Ready),
            ResponseWriter = HealthResponse.WriteAsync,
            // Spelled out because the collector relies on it: Degraded (the collector cannot score, /predict still
            // can) stays ready, so nginx and orchestrators keep routing; only Unhealthy (no model) answers 503.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).AllowAnonymous();  // orchestrators and nginx probe without keys
        return app;
    }

    /// <summary>
    /// Checks the configuration and loads the model, then serves. A bad setting or an unusable model ends the
    /// process here with one log line naming the key or the file, and a non-zero exit code, before anything listens.
    /// </summary>
    public static async Task<int> RunAnomalyApiAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AnomalyApi.Startup");
        if (app.Services.GetRequiredService<SettingsLocation>().BesideBinaries is { } settingsDirectory)
        {
            Log.SettingsBesideBinaries(logger, settingsDirectory, app.Environment.ContentRootPath);
        }
        try
        {
            _ = app.Services.GetRequiredService<IOptions<ModelOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<ScoringOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<AdaptiveOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<CollectorOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<LimitsOptions>>().Value;
            if (GracefulShutdown.ValidateTimeout(app.Configuration) is { } problem)
            {
                Log.ConfigurationInvalid(logger, problem);
                return await StopAsync(app, ExitCodes.InvalidConfiguration);
            }
        }
        catch (OptionsValidationException ex)
        {
            Log.ConfigurationInvalid(logger, string.Join("; ", ex.Failures));
            return await StopAsync(app, ExitCodes.InvalidConfiguration);
        }
        catch (InvalidOperationException ex)
        {
            // A value that does not convert, e.g. "Failed to convert configuration value at 'Scoring:MaxBatchSize' …".
            Log.ConfigurationInvalid(logger, ex.Message);
            return await StopAsync(app, ExitCodes.InvalidConfiguration);
        }

        try
        {
            app.Services.GetRequiredService<ModelProvider>().Load();
        }
        catch (ModelLoadException ex)
        {
            Log.ModelLoadFailed(logger, ex.Message);
            return await StopAsync(app, ExitCodes.ModelLoadFailed);
        }

        // After the checks that can stop the start, which each end it with one line of their own.
        if (InlineIo.Enabled)
        {
            Log.InlineIoOn(logger, InlineIo.EnvironmentVariable);
        }
        else
        {
            Log.InlineIoOff(logger, InlineIo.EnvironmentVariable);
        }

        // SIGTERM: in-flight requests finish within ShutdownTimeoutSeconds, then the process exits 0 (GracefulShutdown).
        app.LogShutdown();
        try
        {
            await app.RunAsync();
        }
        catch (IOException ex) when (ex.Message.StartsWith("Failed to bind", StringComparison.Ordinal))
        {
            // Kestrel's bind failure ("Failed to bind to address http://127.0.0.1:5000: address already in use."):
            // an operator's problem with one clear line, not a crash with a stack trace. (appsettings.json keeps
            // the host's own "Hosting failed to start" error, with its trace, out of the log: any start failure
            // we do not handle here still ends the process with the runtime's unhandled-exception report.)
            Log.CannotListen(logger, ex.Message);
            return await StopAsync(app, ExitCodes.CannotListen);
        }
        return ExitCodes.Success;
    }

    // Disposing the host flushes the console logger's queue, so the line is written before the process exits.
    private static async Task<int> StopAsync(WebApplication app, int exitCode)
    {
        await app.DisposeAsync();
        return exitCode;
    }
}
