using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AnomalyApi.Tests;

/// <summary>A model or setting that cannot be served stops the process: non-zero exit, one line naming the culprit.</summary>
public sealed class StartupTests : IDisposable
{
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("anomalyapi-startup-").FullName;

    [Fact]
    public async Task Process_WithMissingModelDirectory_ExitsNonZeroWithOneLineNamingTheFile()
    {
        var missing = Path.Combine(_workDirectory, "no-such-models");

        var (exitCode, output) = await RunServiceAsync($"--Model:Directory={missing}");

        Assert.Equal(ExitCodes.ModelLoadFailed, exitCode);
        // One log line, nothing else: the operator sees the file and the problem, not a stack trace.
        var line = Assert.Single(output);
        Assert.Contains("Cannot serve the model", line, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(missing, "model_config.json"), line, StringComparison.Ordinal);
        Assert.Contains("cannot be read", line, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public async Task Process_WithCorruptOnnxFile_ExitsNonZeroNamingTheOnnxFile()
    {
        var models = Directory.CreateDirectory(Path.Combine(_workDirectory, "models")).FullName;
        File.Copy(TestModel.ConfigPath, Path.Combine(models, "model_config.json"));
        await File.WriteAllTextAsync(Path.Combine(models, "autoencoder.onnx"), "not a protobuf");

        var (exitCode, output) = await RunServiceAsync($"--Model:Directory={models}");

        Assert.Equal(ExitCodes.ModelLoadFailed, exitCode);
        var line = Assert.Single(output, l => l.Contains("Cannot serve the model", StringComparison.Ordinal));
        Assert.Contains(Path.Combine(models, "autoencoder.onnx"), line, StringComparison.Ordinal);
        Assert.Contains("ONNX Runtime", line, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public async Task Process_WithConfigThatDisagreesWithTheModel_ExitsNonZeroNamingTheKey()
    {
        var models = Directory.CreateDirectory(Path.Combine(_workDirectory, "models")).FullName;
        File.Copy(TestModel.OnnxPath, Path.Combine(models, "autoencoder.onnx"));
        var config = await File.ReadAllTextAsync(TestModel.ConfigPath);
        await File.WriteAllTextAsync(Path.Combine(models, "model_config.json"),
            config.Replace("\"input_name\": \"x\"", "\"input_name\": \"features\"", StringComparison.Ordinal));

        var (exitCode, output) = await RunServiceAsync($"--Model:Directory={models}");

        Assert.Equal(ExitCodes.ModelLoadFailed, exitCode);
        var line = Assert.Single(output, l => l.Contains("Cannot serve the model", StringComparison.Ordinal));
        Assert.Contains("input_name", line, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public async Task Process_WithPortAlreadyInUse_ExitsNonZeroWithOneLineNamingTheAddress()
    {
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((System.Net.IPEndPoint)occupant.LocalEndpoint).Port;

        var (exitCode, output) = await RunServiceAsync($"--urls=http://127.0.0.1:{port}");

        Assert.Equal(ExitCodes.CannotListen, exitCode);
        var line = Assert.Single(output, l => l.Contains("Cannot listen", StringComparison.Ordinal));
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Theory]
    [InlineData("--Scoring:MaxBatchSize=0", "Scoring:MaxBatchSize")]
    [InlineData("--Scoring:MaxBatchSize=lots", "Scoring:MaxBatchSize")]
    [InlineData("--Scoring:MaxConcurrentBatches=-1", "Scoring:MaxConcurrentBatches")]
    [InlineData("--Scoring:BatchQueueLimit=-1", "Scoring:BatchQueueLimit")]
    [InlineData("--Model:OnnxPath=/tmp/model.onnx", "Model:ConfigPath")]
    [InlineData("--Model:OnnxSessions=-1", "Model:OnnxSessions")]
    [InlineData("--Scoring:Adaptive:Quantile=1", "Scoring:Adaptive:Quantile")]
    [InlineData("--Scoring:Adaptive:Rule=Sometimes", "Scoring:Adaptive:Rule")]
    [InlineData("--ForwardedHeaders:KnownNetworks:0=not-a-network", "ForwardedHeaders:KnownNetworks")]
    public async Task Process_WithInvalidSetting_ExitsNonZeroNamingTheKey(string argument, string key)
    {
        var (exitCode, output) = await RunServiceAsync(argument);

        Assert.Equal(ExitCodes.InvalidConfiguration, exitCode);
        var line = Assert.Single(output, l => l.Contains("Invalid configuration", StringComparison.Ordinal));
        Assert.Contains(key, line, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public void Factory_WithMissingModelDirectory_FailsAndLogsTheMessageNamingTheFile()
    {
        var missing = Path.Combine(_workDirectory, "absent");
        using var factory = AnomalyApiFactory.With(("Model:Directory", missing));

        // The entry point returns before the server starts, so no request can be served.
        Assert.ThrowsAny<Exception>(() => factory.CreateClient().GetAsync("/health/live").GetAwaiter().GetResult());

        var critical = Assert.Single(factory.Logs, l => l.Level == LogLevel.Critical);
        Assert.Contains(Path.Combine(missing, "model_config.json"), critical.Message, StringComparison.Ordinal);
    }

    private static void AssertNoStackTrace(IEnumerable<string> output) =>
        Assert.DoesNotContain(output, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) || l.Contains("Exception:", StringComparison.Ordinal));

    /// <summary>Runs the real service binary (beside the test binaries) and collects its output.</summary>
    private async Task<(int ExitCode, IReadOnlyList<string> Output)> RunServiceAsync(string argument)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            // The service's own appsettings.json (copied beside the test binaries) applies, as in production.
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "exec", Path.Combine(AppContext.BaseDirectory, "AnomalyApi.dll"), argument })
        {
            start.ArgumentList.Add(arg);
        }
        if (!argument.StartsWith("--urls", StringComparison.Ordinal))
        {
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add("http://127.0.0.1:0");
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException("the service did not exit within 60 s");
        }
        var output = (await stdout + "\n" + await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (process.ExitCode, output);
    }

    public void Dispose() => Directory.Delete(_workDirectory, recursive: true);
}
