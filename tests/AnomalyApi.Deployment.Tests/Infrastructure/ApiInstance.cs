using System.Net;

namespace AnomalyApi.Deployment.Tests.Infrastructure;

/// <summary>
/// The published service, started as the image's ENTRYPOINT starts it (from /app, with the image's environment),
/// on a free loopback port: ASPNETCORE_HTTP_PORTS names the port, as in the image, and ASPNETCORE_URLS keeps
/// Kestrel on 127.0.0.1 instead of every interface.
/// </summary>
internal sealed class ApiInstance : IDisposable
{
    private readonly ExternalProcess _process;

    private ApiInstance(ExternalProcess process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    /// <summary>host:port, as Prometheus and nginx address it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public Uri BaseAddress => new($"http://{Address}/");

    public HttpClient Client { get; }

    public string Output => _process.Output;

    /// <summary>The running process, for tests that signal it and wait for its exit code.</summary>
    public ExternalProcess Process => _process;

    /// <summary>
    /// Starts the image's app; <paramref name="settings"/> are extra environment variables (e.g. ShutdownTimeoutSeconds),
    /// and <paramref name="workingDirectory"/> is where it starts (the image's WORKDIR, /app, unless given).
    /// </summary>
    public static async Task<ApiInstance> StartAsync(DockerImage image, IReadOnlyDictionary<string, string>? settings = null, string? workingDirectory = null)
    {
        var port = LoopbackPort.Free();
        var environment = image.Environment.ToDictionary(p => p.Key, p => (string?)p.Value);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var entrypoint = image.Entrypoint;
        var program = entrypoint[0] == "dotnet" ? Programs.Dotnet : entrypoint[0];
        // Started from elsewhere, the app is named by its full path, as a unit file would: dotnet /app/AnomalyApi.dll.
        var arguments = entrypoint.Skip(1)
            .Select(argument => workingDirectory is not null && File.Exists(Path.Combine(image.AppDirectory, argument))
                ? Path.Combine(image.AppDirectory, argument)
                : argument);
        var instance = new ApiInstance(ExternalProcess.Start(program, arguments, workingDirectory ?? image.AppDirectory, environment), port);
        try
        {
            await instance.WaitUntilReadyAsync();
            return instance;
        }
        catch
        {
            instance.Dispose();
            throw;
        }
    }

    /// <summary>Stops the process (and its children) by PID.</summary>
    public void Dispose()
    {
        Client.Dispose();
        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.Until(
            async () =>
            {
                Assert.False(_process.HasExited, $"The service exited before it was ready:\n{_process.Output}");
                return (await probe.GetAsync("health/ready")).StatusCode;
            },
            status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60),
            (status, error) => $"{BaseAddress}health/ready answered {status} ({error?.Message}); service output:\n{_process.Output}");
    }
}
