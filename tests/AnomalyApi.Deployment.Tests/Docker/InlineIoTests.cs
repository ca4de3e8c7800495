using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnomalyApi.Deployment.Tests.Infrastructure;

namespace AnomalyApi.Deployment.Tests.Docker;

/// <summary>
/// The image runs requests on the runtime's socket threads (the Dockerfile's DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1;
/// src/AnomalyApi/Hosting/InlineIo.cs): the published app started with the image's ENV says so, has the socket threads
/// the runtime starts only in that mode, and answers single rows and a batch (which leaves its socket thread) alike.
/// </summary>
[Collection(PublishedApiCollection.Name)]
public sealed class InlineIoTests(PublishedApiFixture fixture)
{
    [Fact]
    public async Task PublishedApp_WithTheImagesEnv_RunsRequestsOnTheSocketThreads()
    {
        Assert.Equal("1", fixture.Image.Environment.GetValueOrDefault("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"));
        using var api = await fixture.StartInstanceAsync();

        var rmse = await Telemetry.PredictRmseAsync(api.Client, "predict", Telemetry.RowAt(0.5));
        var rows = Enumerable.Range(0, 256).Select(i => Telemetry.RowAt(i / 255.0)).ToList();
        using var batch = await api.Client.PostAsJsonAsync("predict/batch", Telemetry.BatchBody(rows));
        using var results = JsonDocument.Parse(await batch.Content.ReadAsStringAsync());

        Assert.True(double.IsFinite(rmse), $"rmse {rmse}");
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Equal(256, results.RootElement.GetProperty("results").GetArrayLength());
        Assert.Contains("Inline I/O on (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1)", api.Output);
        // One socket engine thread per processor: the runtime's count with inline completions (one in all, on a
        // machine this size, without them).
        var socketThreads = Directory.EnumerateDirectories($"/proc/{api.Process.Id}/task")
            .Count(task => File.ReadAllText(Path.Combine(task, "comm")).Trim() == ".NET Sockets");
        Assert.Equal(Environment.ProcessorCount, socketThreads);
    }
}
