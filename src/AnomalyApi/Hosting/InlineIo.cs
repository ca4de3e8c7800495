using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace AnomalyApi.Hosting;

/// <summary>
/// Inline I/O: with <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> in the environment (the Dockerfile sets
/// it), the runtime runs socket completions on its socket threads (one per processor) instead of queueing them to
/// the thread pool, and Kestrel then runs each request on the thread that received it
/// (<see cref="SocketTransportOptions.UnsafePreferInlineScheduling"/>). A /predict request is about 40 to 60 µs of
/// CPU, and leaving out the hand-offs between the socket thread and the pool saved 13 to 25 % of it on a 2-core VM
/// (README, Performance). The price: while a request runs on a socket thread, that thread's other connections wait, so
/// work that can take milliseconds (a batch's parsing, scoring and writing, a model reload, the collector's
/// scoring) first moves to the thread pool with <see cref="LeaveSocketThreadAsync"/>.
/// The runtime reads the variable once, when the first socket is made, so it cannot be a setting in
/// appsettings.json. Kestrel follows it: its inline scheduling alone, with the runtime still queueing socket
/// completions to the pool, was slower than the default (0.80× against 0.88× the baseline's requests/s, one paired run).
/// </summary>
public static class InlineIo
{
    public const string EnvironmentVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Bodies this large move their request to the thread pool once read (a 256-row JSON batch is 120 KB, a row 0.8 KB).</summary>
    public const int OffloadBodyBytes = 16 * 1024;

    /// <summary>Whether this process runs requests on its socket threads (read once, as the runtime does).</summary>
    public static bool Enabled { get; } = IsOn(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>The runtime's own test: exactly "1", on Unix (Windows completes sockets through IOCP, untouched by it).</summary>
    public static bool IsOn(string? value) => value == "1" && !OperatingSystem.IsWindows();

    /// <summary>Kestrel's socket transport runs requests inline exactly when the runtime does.</summary>
    public static IServiceCollection AddInlineIo(this IServiceCollection services) =>
        services.Configure<SocketTransportOptions>(transport => Configure(transport, Enabled));

    public static void Configure(SocketTransportOptions transport, bool enabled) => transport.UnsafePreferInlineScheduling = enabled;

    /// <summary>
    /// Continues on a thread-pool thread when called on any other thread (a socket thread, with inline I/O on);
    /// on a pool thread, and so always without inline I/O, it continues at once. ASP.NET Core has no
    /// synchronization context, so <see cref="Task.Yield"/> queues the continuation to the pool.
    /// </summary>
    public static async ValueTask LeaveSocketThreadAsync()
    {
        if (!Thread.CurrentThread.IsThreadPoolThread)
        {
            await Task.Yield();
        }
    }
}
