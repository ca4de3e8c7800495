using System.Diagnostics;

namespace AnomalyApi.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A stress-ng load (Debian's, which tests/run-tests.sh installs) started by a test. The test stops it by PID when
/// it has seen enough (SIGINT first, as Ctrl+C: stress-ng stops its workers and removes its files; then SIGKILL to the
/// whole tree); stress-ng's own --timeout ends it anyway if the test dies first.
/// </summary>
public sealed class StressLoad : IAsyncDisposable
{
    private const string StressNgPath = "/usr/bin/stress-ng";
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(40);

    private readonly Process _process;

    private StressLoad(string name, Process process, DateTimeOffset startedAt)
    {
        Name = name;
        _process = process;
        StartedAt = startedAt;
    }

    /// <summary>What the load is, for the results table ("cpu", "memory", "io").</summary>
    public string Name { get; }

    /// <summary>When stress-ng was started (its workers start within milliseconds).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When the test stopped it; null while it runs.</summary>
    public DateTimeOffset? StoppedAt { get; private set; }

    /// <summary>Every CPU busy with arithmetic: user time.</summary>
    public static StressLoad Cpu(int cpus) => Start("cpu", ["--cpu", $"{cpus}"]);

    /// <summary>One worker holding <paramref name="bytes"/> of touched anonymous memory (--vm-keep: allocated once, kept).</summary>
    public static StressLoad Memory(string bytes) => Start("memory", ["--vm", "1", "--vm-bytes", bytes, "--vm-keep"]);

    /// <summary>One worker writing and reading back files in <paramref name="directory"/>: page cache, dirty pages, iowait.</summary>
    public static StressLoad Disk(string directory, string bytes) =>
        Start("io", ["--hdd", "1", "--hdd-bytes", bytes, "--temp-path", directory]);

    private static StressLoad Start(string name, IEnumerable<string> stressors)
    {
        Assert.True(File.Exists(StressNgPath), $"{StressNgPath} is missing: install stress-ng (bash tests/run-tests.sh does)");
        var start = new ProcessStartInfo(StressNgPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in stressors.Concat(["--timeout", $"{(int)SafetyTimeout.TotalSeconds}s", "--quiet"]))
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        var startedAt = DateTimeOffset.UtcNow;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new StressLoad(name, process, startedAt);
    }

    /// <summary>Stops stress-ng and its workers; true when it was still running (it did not end early or fail).</summary>
    public async Task<bool> StopAsync()
    {
        if (StoppedAt is not null)
        {
            return true;
        }
        var wasRunning = !_process.HasExited;
        if (wasRunning)
        {
            // SIGINT through kill(1): .NET's Process.Kill only sends SIGKILL, which would leave --hdd's files behind,
            // and stress-ng 0.15 was seen here to ignore SIGTERM for seconds while SIGINT stops it at once.
            using (var interrupt = Process.Start("kill", ["-INT", $"{_process.Id}"]))
            {
                await interrupt.WaitForExitAsync();
            }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
            }
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        StoppedAt = DateTimeOffset.UtcNow;
        return wasRunning;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
