using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AnomalyApi.Benchmarks.Load;

/// <summary>One wrk run's summary, as wrk-report.lua prints it.</summary>
public sealed record WrkResult(long Requests, double Seconds, double P50Ms, double P90Ms, double P99Ms, double MaxMs, long Non2xx, long SocketErrors)
{
    public double RequestsPerSecond => Requests / Seconds;
}

/// <summary>Runs Debian's wrk with one thread (it shares the machine's 2 cores with the server) and wrk-report.lua.</summary>
public static partial class Wrk
{
    public static string Script => Path.Combine(AppContext.BaseDirectory, "Load", "wrk-report.lua");

    /// <param name="requests">(path, body file) pairs, sent round-robin.</param>
    public static async Task<WrkResult> RunAsync(string baseUrl, IReadOnlyList<(string Path, string BodyFile)> requests,
        int connections, TimeSpan duration, int? cpu)
    {
        var start = new ProcessStartInfo(cpu is null ? "wrk" : "taskset") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (cpu is { } core)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(core.ToString(CultureInfo.InvariantCulture));
            start.ArgumentList.Add("wrk");
        }
        foreach (var arg in new[]
        {
            "-t1", $"-c{connections}", $"-d{Math.Max(1, (int)Math.Round(duration.TotalSeconds))}s", "--timeout", "10s",
            "-s", Script, baseUrl + requests[0].Path, "--",
        })
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (path, body) in requests)
        {
            start.ArgumentList.Add(path);
            start.ArgumentList.Add(body);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start wrk");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        var match = ResultLine().Match(output);
        if (process.ExitCode != 0 || !match.Success)
        {
            throw new InvalidOperationException($"wrk failed (exit {process.ExitCode}): {output}{await stderr}");
        }
        long Field(string name) => long.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
        return new WrkResult(
            Field("requests"), Field("duration") / 1e6,
            Field("p50") / 1e3, Field("p90") / 1e3, Field("p99") / 1e3, Field("max") / 1e3,
            Field("non2xx"), Field("connect") + Field("read") + Field("write") + Field("timeout"));
    }

    [GeneratedRegex(@"WRK_RESULT requests=(?<requests>\d+) duration_us=(?<duration>\d+) bytes=\d+ p50_us=(?<p50>\d+) p90_us=(?<p90>\d+) p99_us=(?<p99>\d+) max_us=(?<max>\d+) non2xx=(?<non2xx>\d+) connect=(?<connect>\d+) read=(?<read>\d+) write=(?<write>\d+) timeout=(?<timeout>\d+)")]
    private static partial Regex ResultLine();
}
