using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using AnomalyApi.Deployment.Tests.Infrastructure;

namespace AnomalyApi.Deployment.Tests.Docker;

/// <summary>
/// The image as the Dockerfile builds and starts it, without an engine: the build stage's RUN lines ran as
/// written (the collection fixture), and the app starts from /app as ENTRYPOINT does, with the image's ENV.
/// </summary>
[Collection(PublishedApiCollection.Name)]
public sealed class PublishedImageTests(PublishedApiFixture fixture)
{
    [Fact]
    public void BuildStage_AsWritten_RestoresAndPublishesWithoutWarnings()
    {
        Assert.Equal(2, fixture.Image.RunSteps.Count);
        Assert.All(fixture.Image.RunSteps, run =>
        {
            Assert.Equal(0, run.ExitCode);
            Assert.DoesNotContain("warning", run.Output, StringComparison.OrdinalIgnoreCase);
        });
        Assert.True(File.Exists(Path.Combine(fixture.Image.AppDirectory, "AnomalyApi.dll")), "No AnomalyApi.dll in /app");
        // Published for the target architecture: ONNX Runtime's Linux library, not the other platforms' too.
        var files = Directory.EnumerateFiles(fixture.Image.AppDirectory, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => Path.GetFileName(f) == "libonnxruntime.so");
        Assert.DoesNotContain(files, f => f.EndsWith("onnxruntime.dll", StringComparison.Ordinal) || f.EndsWith(".dylib", StringComparison.Ordinal));
        // Only project files and the sources of the two projects the image needs went into the build.
        Assert.DoesNotContain(fixture.Image.ContextFiles, f => f.Contains("/bin/", StringComparison.Ordinal) || f.Contains("/obj/", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Image.ContextFiles, f => f.StartsWith("tests/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublishedApp_StartedLikeTheEntrypoint_IsReadyAndServesTheShippedModel()
    {
        using var api = await fixture.StartInstanceAsync();

        using var ready = await api.Client.GetAsync("health/ready");
        using var model = JsonDocument.Parse(await api.Client.GetStringAsync("model"));
        var rmse = await Telemetry.PredictRmseAsync(api.Client, "predict", Telemetry.RowAt(0.5));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        // The model in /app/models is the repository's models/, byte for byte.
        var shipped = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Repository.Path("models", "autoencoder.onnx"))));
        Assert.Equal(shipped, model.RootElement.GetProperty("sha256").GetString());
        Assert.True(File.Exists(Path.Combine(fixture.Image.AppDirectory, "models", "model_config.json")), "No models/ in /app");
        Assert.True(double.IsFinite(rmse) && rmse >= 0, $"rmse {rmse}");
    }

    [Fact]
    public async Task PublishedApp_StartedFromAnotherDirectory_ReadsItsOwnSettings()
    {
        // dotnet /app/AnomalyApi.dll from elsewhere (a systemd unit without WorkingDirectory): the content root is that
        // directory, which has no appsettings.json. Without the fallback the built-in defaults log every request.
        var elsewhere = Directory.CreateTempSubdirectory("anomaly-elsewhere-");
        try
        {
            using var api = await fixture.StartInstanceAsync(workingDirectory: elsewhere.FullName);

            var rmse = await Telemetry.PredictRmseAsync(api.Client, "predict", Telemetry.RowAt(0.5));

            Assert.True(double.IsFinite(rmse), $"rmse {rmse}");
            var output = api.Output;
            Assert.Contains($"Read appsettings from {Path.TrimEndingDirectorySeparator(fixture.Image.AppDirectory)}, beside the binaries", output);
            // The shipped settings at work: the readiness polls and the request above wrote no request log, and the
            // console lines are single, timestamped ones ("2026-12-05T08:43:49.295Z info: …").
            Assert.DoesNotContain("Microsoft.AspNetCore.Hosting.Diagnostics", output);
            Assert.Matches($@"(?m)^\d{{4}}-\d\d-\d\dT[\d:.]+Z info: Microsoft\.Hosting\.Lifetime\[0\] Content root path: {Regex.Escape(elsewhere.FullName)}", output);
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Healthcheck_AgainstAReadyApp_Passes()
    {
        using var api = await fixture.StartInstanceAsync();

        var result = await RunHealthcheckAsync(api.Port);

        Assert.True(result.ExitCode == 0, $"The HEALTHCHECK command failed against a ready app: {result}");
    }

    [Fact]
    public async Task Healthcheck_WhenNothingListens_Fails()
    {
        var result = await RunHealthcheckAsync(LoopbackPort.Free());

        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task Healthcheck_WhenTheAppAnswers503_Fails()
    {
        using var notReady = new StatusServer(HttpStatusCode.ServiceUnavailable);

        var result = await RunHealthcheckAsync(notReady.Port);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("GET /health/ready", notReady.RequestLog);
    }

    /// <summary>The HEALTHCHECK CMD exactly as the Dockerfile writes it, with the image's environment but the port.</summary>
    private async Task<ProcessResult> RunHealthcheckAsync(int port)
    {
        var command = fixture.Image.HealthcheckCommand;
        Assert.Equal("bash", command[0]);
        var environment = fixture.Image.Environment.ToDictionary(p => p.Key, p => (string?)p.Value);
        environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await ExternalProcess.RunAsync(Programs.Bash, command.Skip(1), TimeSpan.FromSeconds(10), environment: environment);
    }
}
