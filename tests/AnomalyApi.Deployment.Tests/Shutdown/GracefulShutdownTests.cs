using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AnomalyApi.Deployment.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AnomalyApi.Deployment.Tests.Shutdown;

/// <summary>
/// The published service stopped as `docker stop` and orchestrators stop it, with SIGTERM: what its clients see,
/// and how the process ends.
/// </summary>
[Collection(PublishedApiCollection.Name)]
public sealed partial class GracefulShutdownTests(PublishedApiFixture fixture, ITestOutputHelper output)
{
    private const string ShuttingDown = "Shutting down: refusing new connections, finishing requests in flight";

    [Fact]
    [Trait("Category", "Load")]
    public async Task Sigterm_UnderLoad_FinishesEveryAcceptedRequestRefusesNewOnesAndExitsZero()
    {
        using var api = await fixture.StartInstanceAsync(new Dictionary<string, string>
        {
            ["ShutdownTimeoutSeconds"] = "60",
            // "Request starting …" and "Request finished …": the server's own account of what it accepted.
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        });
        await using var load = new PredictLoad(api.BaseAddress, clients: 4);
        // Slow uploads: the server has their headers and first rows, and is waiting for the rest when SIGTERM comes.
        using var uploader = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
        SlowBatchContent[] uploads = [.. Enumerable.Range(0, 3).Select(_ => new SlowBatchContent(rows: 1000, rowsUpFront: 100, chunks: 10, TimeSpan.FromMilliseconds(200)))];
        var answers = uploads.Select(upload => uploader.PostAsync("predict/batch", upload)).ToArray();
        await Eventually.Until(() => InProgressAsync(api, "/predict/batch"), n => n >= uploads.Length, TimeSpan.FromSeconds(60),
            (n, error) => $"The server shows {n} uploads in progress, not {uploads.Length} ({error?.Message})");
        await Eventually.Until(() => Task.FromResult(load.Succeeded), n => n >= 50, TimeSpan.FromSeconds(60),
            (n, _) => $"Only {n} predictions before SIGTERM; failures: {string.Join("\n", load.Failures)}");

        var succeededBeforeSigterm = load.Succeeded;
        await api.Process.SignalAsync("TERM");
        // The rest of each upload is sent only once the server says it is stopping.
        await Eventually.Until(() => Task.FromResult(api.Output.Contains(ShuttingDown, StringComparison.Ordinal)), seen => seen,
            TimeSpan.FromSeconds(60), (_, _) => $"No shutdown line 60 s after SIGTERM:\n{api.Output}");
        foreach (var upload in uploads)
        {
            upload.Release();
        }
        var exited = await api.Process.WaitForExitAsync(TimeSpan.FromSeconds(180));
        await load.StopAsync();
        var started = RequestStarted().Count(api.Output);
        var finished = RequestFinishedOk().Count(api.Output);
        output.WriteLine($"{load.Succeeded} predictions answered ({succeededBeforeSigterm} before SIGTERM), {load.Refused} refused, "
            + $"{load.Unanswered.Count} unanswered, {load.Failures.Count} failed; the server started {started} and finished {finished} with 200");
        foreach (var unanswered in load.Unanswered)
        {
            output.WriteLine($"unanswered: {unanswered}");
        }

        Assert.True(exited, $"Still running 180 s after SIGTERM:\n{api.Output}");
        Assert.True(api.Process.ExitCode == 0, $"Exit code {api.Process.ExitCode}:\n{api.Output}");
        foreach (var (answer, upload) in answers.Zip(uploads))
        {
            using var response = await answer;
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"An upload in flight at SIGTERM got {(int)response.StatusCode}: {body}");
            using var json = JsonDocument.Parse(body);
            var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(upload.Rows, results.Count);
            Assert.All(results, r => Assert.True(double.IsFinite(r.GetProperty("rmse").GetDouble())));
        }
        Assert.True(load.Failures.IsEmpty,
            $"{load.Failures.Count} requests got a non-200 or cut-short answer, or timed out ({load.Succeeded} succeeded, {load.Refused} refused):\n"
            + string.Join("\n", load.Failures.Take(20)) + $"\n{api.Output}");
        // Every /predict the server started, it finished with a 200, and that 200 reached its client whole. A request
        // that got no answer at all (its idle keep-alive connection closed by the shutdown as it went out) is one
        // the server never started: the two counts would differ otherwise.
        Assert.True(started == finished && finished == load.Succeeded,
            $"The server started {started} predictions and finished {finished} with 200; clients received {load.Succeeded}:\n"
            + string.Join("\n", load.Unanswered) + $"\n{api.Output}");
        Assert.True(load.Refused > 0, $"No client was ever refused: the load stopped before the port closed ({load.Succeeded} succeeded)");
        Assert.Contains($"{ShuttingDown} (ShutdownTimeoutSeconds 60)", api.Output, StringComparison.Ordinal);
        Assert.Matches(ShutDownGracefully(), api.Output);
    }

    [Fact]
    public async Task Sigterm_WithAnUploadSlowerThanShutdownTimeoutSeconds_CutsItThereAndStillExitsZero()
    {
        using var api = await fixture.StartInstanceAsync(new Dictionary<string, string> { ["ShutdownTimeoutSeconds"] = "2" });
        using var uploader = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
        // Held back until after the process is gone: without the timeout the server would wait for it forever.
        var upload = new SlowBatchContent(rows: 1000, rowsUpFront: 100, chunks: 10, TimeSpan.FromMilliseconds(200));
        var answer = uploader.PostAsync("predict/batch", upload);
        await Eventually.Until(() => InProgressAsync(api, "/predict/batch"), n => n >= 1, TimeSpan.FromSeconds(60),
            (n, error) => $"The server shows {n} uploads in progress ({error?.Message})");

        await api.Process.SignalAsync("TERM");
        var exited = await api.Process.WaitForExitAsync(TimeSpan.FromSeconds(90));
        upload.Release();

        Assert.True(exited, $"Still running 90 s after SIGTERM with ShutdownTimeoutSeconds=2 and an upload pending:\n{api.Output}");
        Assert.True(api.Process.ExitCode == 0, $"Exit code {api.Process.ExitCode}:\n{api.Output}");
        Assert.Contains("(ShutdownTimeoutSeconds 2)", api.Output, StringComparison.Ordinal);
        Assert.Contains("ShutdownTimeoutSeconds ran out and requests still running were cut", api.Output, StringComparison.Ordinal);
        // The client whose upload outlived the timeout sees its connection end rather than an answer.
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => answer);
    }

    /// <summary>Requests the server is in the middle of on <paramref name="endpoint"/>: prometheus-net's in-progress gauge.</summary>
    private static async Task<int> InProgressAsync(ApiInstance api, string endpoint)
    {
        var metrics = await api.Client.GetStringAsync("metrics");
        return InProgressLine().Matches(metrics)
            .Where(m => m.Groups["endpoint"].Value.TrimEnd('/') == endpoint)
            .Sum(m => (int)double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^http_requests_in_progress\{[^}]*endpoint=""(?<endpoint>[^""]*)""[^}]*\} (?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex InProgressLine();

    [GeneratedRegex(@"Request starting HTTP/1\.1 POST http://[^/ ]+/predict ")]
    private static partial Regex RequestStarted();

    [GeneratedRegex(@"Request finished HTTP/1\.1 POST http://[^/ ]+/predict - 200 ")]
    private static partial Regex RequestFinishedOk();

    [GeneratedRegex(@"Shut down gracefully in \d+ ms")]
    private static partial Regex ShutDownGracefully();
}
