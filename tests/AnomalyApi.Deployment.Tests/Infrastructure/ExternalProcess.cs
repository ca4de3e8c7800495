using System.Diagnostics;
using System.Text;

namespace AnomalyApi.Deployment.Tests.Infrastructure;

/// <summary>What a program that ran to its end printed, and its exit code.</summary>
internal sealed record ProcessResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => StandardOutput + StandardError;

    /// <summary>For assertion messages: the command, its exit code and everything it printed.</summary>
    public override string ToString() => $"`{Command}` exited {ExitCode}:\n{StandardOutput}\n{StandardError}";
}

/// <summary>
/// A real program started by a test: its output is kept for failure messages, and Dispose kills it and its
/// children by PID (never by name), so nothing a test started outlives it.
/// </summary>
internal sealed class ExternalProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ExternalProcess(Process process, string command)
    {
        _process = process;
        Command = command;
    }

    public string Command { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

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

    public static ExternalProcess Start(
        string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = CreateStartInfo(fileName, arguments, workingDirectory, environment);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = new ExternalProcess(process, Describe(info));
        process.OutputDataReceived += (_, e) => started.Append(e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Runs a program to its end; one still running after <paramref name="timeout"/> is killed and fails the test.</summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, string? standardInput = null)
    {
        var info = CreateStartInfo(fileName, arguments, workingDirectory, environment);
        info.RedirectStandardInput = standardInput is not null;
        using var process = Process.Start(info)!;
        var command = Describe(info);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"`{command}` was still running after {timeout.TotalSeconds} s and was killed:\n{await stdout}\n{await stderr}");
        }
        return new ProcessResult(command, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Sends a POSIX signal by PID (`kill -TERM 1234`), as `docker stop` and orchestrators do.</summary>
    public async Task SignalAsync(string signal)
    {
        var result = await RunAsync(Programs.Bash, ["-c", $"kill -{signal} {Id}"], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, $"Could not send SIG{signal} to {Command}: {result}");
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to end (and its output to be read); false if it still runs.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static ProcessStartInfo CreateStartInfo(
        string fileName, IEnumerable<string> arguments, string? workingDirectory, IReadOnlyDictionary<string, string?>? environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        // The test host runs under `dotnet test`, whose MSBuild and VSTest variables would steer a child
        // `dotnet publish` or the published app; the programs get a plain user's environment instead.
        foreach (var key in info.Environment.Keys.Where(IsTestHostVariable).ToList())
        {
            info.Environment.Remove(key);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }
        return info;
    }

    private static bool IsTestHostVariable(string key) =>
        key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
        || key.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase);

    private static string Describe(ProcessStartInfo info) =>
        string.Join(' ', new[] { info.FileName }.Concat(info.ArgumentList.Select(a => a.Contains(' ') ? $"'{a}'" : a)));
}
