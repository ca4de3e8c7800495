using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AnomalyApi.Benchmarks.Load;

/// <summary>A server the load benchmark started on 127.0.0.1, stopped by its own PID when disposed.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet DLL ARGS --urls http://127.0.0.1:PORT</c> (under <c>taskset</c> when a CPU is given).</summary>
    public static ServerProcess Start(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, int? cpu)
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo(cpu is null ? "dotnet" : "taskset")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (cpu is { } core)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(core.ToString(System.Globalization.CultureInfo.InvariantCulture));
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {dll}");
        // Drained and dropped: a full pipe would block the server's logging.
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, baseUrl);
    }

    /// <summary>Polls <c>path</c> until it answers 200; returns the time from <paramref name="since"/> to that answer.</summary>
    public async Task<TimeSpan> WaitForOkAsync(HttpClient http, string path, long since, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{BaseUrl}: the process exited with code {_process.ExitCode} before {path} answered 200");
            }
            try
            {
                using var response = await http.GetAsync(BaseUrl + path);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Stopwatch.GetElapsedTime(since);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(5);
        }
        throw new TimeoutException($"{BaseUrl}{path} did not answer 200 within {timeout.TotalSeconds} s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}
