using System.Diagnostics;

namespace AnomalyApi.Http;

/// <summary>
/// Times the parse+validate stage: binding starts the clock, the handler reads it before scoring. Binding and
/// validation run before the handler, so the handler cannot wrap them in a stopwatch itself.
/// </summary>
internal static class ParseTiming
{
    private static readonly object Key = new();

    public static void Start(HttpContext context) => context.Items[Key] = Stopwatch.GetTimestamp();

    /// <summary>Seconds since binding started, or null when the request did not go through a body binder.</summary>
    public static double? ElapsedSeconds(HttpContext context) =>
        context.Items.TryGetValue(Key, out var start) && start is long timestamp
            ? Stopwatch.GetElapsedTime(timestamp).TotalSeconds
            : null;
}
