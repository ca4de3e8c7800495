using System.Diagnostics;
using System.Text;

namespace AnomalyApi.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One of the solution's own programs (the service, the trainer) run as `dotnet X.dll` from the test's output folder,
/// where the project references put them with their runtimeconfig: the same builds a user runs, each in a process of
/// its own, so that what it allocates is the machine's, not the test host's, and is gone when it exits. Stopped by
/// PID with its children.
/// </summary>
public sealed class DotnetApp : IAsyncDisposable
{
    public const string ServiceAssembly = "AnomalyApi.dll";
    public const string TrainerAssembly = "anomaly-trainer.dll";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DotnetApp(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    /// <summary>Standard output and error so far, interleaved as they arrived.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static DotnetApp Start(string assembly, IEnumerable<string> arguments)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assembly);
        Assert.True(File.Exists(path), $"{path} is missing: the test project's references should have built it there");
        // `dotnet test` runs the test host through the same dotnet it was started with and names it here.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // The test host's environment would steer the child (ASPNETCORE_URLS, VSTest's and MSBuild's variables).
        foreach (var key in start.Environment.Keys.Where(IsTestHostVariable).ToList())
        {
            start.Environment.Remove(key);
        }
        var app = new DotnetApp(new Process { StartInfo = start });
        app._process.OutputDataReceived += (_, e) => app.Append(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        app._process.Start();
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Runs a program to its end; one still running after <paramref name="timeout"/> is killed and fails the test.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string assembly, TimeSpan timeout, params string[] arguments)
    {
        await using var app = Start(assembly, arguments);
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await app._process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{assembly} {string.Join(' ', arguments)} was still running after {timeout.TotalSeconds} s:\n{app.Output}");
        }
        // The parameterless wait also waits for the output to be read to its end.
        await app._process.WaitForExitAsync();
        return (app._process.ExitCode, app.Output);
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

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static bool IsTestHostVariable(string key) =>
        key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase);
}
