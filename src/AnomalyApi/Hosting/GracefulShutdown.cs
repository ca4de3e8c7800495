using System.Diagnostics;
using System.Globalization;
using AnomalyApi.Observability;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Hosting;

/// <summary>
/// SIGTERM (or Ctrl+C) as the host handles it: Kestrel stops accepting connections, closes idle keep-alive
/// connections, lets the requests in flight finish (answering them with Connection: close) for up to
/// <c>ShutdownTimeoutSeconds</c> and then cuts what is left; the hosted services stop (the collector's loop ends
/// at its next await); the container disposes the model; RunAnomalyApiAsync returns 0. This adds what the host
/// leaves out: a check of the key, and a log line when shutdown starts and one when it is done.
/// </summary>
public static class GracefulShutdown
{
    /// <summary>The host's own key for <see cref="HostOptions.ShutdownTimeout"/> (HostOptions reads it from configuration).</summary>
    public const string TimeoutKey = "ShutdownTimeoutSeconds";

    /// <summary>
    /// The problem with <c>ShutdownTimeoutSeconds</c>, or null. The host silently ignores a value it cannot parse
    /// (keeping its 30 s default), so one that is not a whole number of seconds stops the service at start instead.
    /// </summary>
    public static string? ValidateTimeout(IConfiguration configuration)
    {
        var value = configuration[TimeoutKey];
        // NumberStyles.None: exactly what HostOptions accepts (digits only, no sign or spaces).
        return value is null || (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds >= 1)
            ? null
            : $"{TimeoutKey} must be a whole number of seconds, 1 or more (was '{value}')";
    }

    /// <summary>Logs when shutdown starts (with the timeout in force) and when it is done (with how long it took).</summary>
    public static WebApplication LogShutdown(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GracefulShutdown).FullName!);
        var timeout = app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;
        var started = 0L;
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            started = Stopwatch.GetTimestamp();
            Log.ShutdownStarted(logger, timeout.TotalSeconds);
        });
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed >= timeout)
            {
                Log.ShutdownTimedOut(logger, elapsed.TotalMilliseconds, timeout.TotalSeconds);
            }
            else
            {
                Log.ShutdownCompleted(logger, elapsed.TotalMilliseconds);
            }
        });
        return app;
    }
}
