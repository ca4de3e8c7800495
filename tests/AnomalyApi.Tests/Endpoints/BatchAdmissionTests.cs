using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyApi.Tests.Endpoints;

/// <summary>
/// Scoring:MaxConcurrentBatches and Scoring:BatchQueueLimit: a batch beyond the running ones waits in line and is
/// scored in its turn, one beyond the line gets a 503 problem (Retry-After), and single rows are served meanwhile.
/// A batch holds its turn while its body is still arriving, which is how the test keeps one running.
/// </summary>
public sealed class BatchAdmissionTests
{
    [Fact]
    public async Task BatchesBeyondTheRunningOne_WaitInLine_ThenGet503_WhileSingleRowsStillScore()
    {
        await using var factory = AnomalyApiFactory.With(("Scoring:MaxConcurrentBatches", "1"), ("Scoring:BatchQueueLimit", "1"));
        // On Kestrel, so that a plain socket can send a request whose body is still arriving.
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        var admission = factory.Services.GetRequiredService<AnomalyApi.Scoring.BatchAdmission>();
        Assert.Equal((1, 1), (admission.PermitLimit, admission.QueueLimit));
        // The model loads as the server starts; before that a batch is answered 503 without its body being read.
        var ready = Stopwatch.StartNew();
        while ((await client.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK && ready.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }
        var rows = TestModel.Rows(3);
        var batch = Encoding.UTF8.GetBytes(new JsonObject { ["instances"] = new JsonArray([.. rows.Select(TestModel.ToJsonArray)]) }.ToJsonString());

        // The first batch sends its headers and half its body over a plain socket, then waits: it has its turn and is
        // reading. (A socket, not HttpClient, so that what has been sent is exactly what the test says.)
        using var held = new TcpClient();
        await held.ConnectAsync(client.BaseAddress!.Host, client.BaseAddress.Port);
        var stream = held.GetStream();
        var half = batch.Length / 2;
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /predict/batch HTTP/1.1\r\nHost: {client.BaseAddress.Authority}\r\nContent-Type: application/json\r\nContent-Length: {batch.Length}\r\n\r\n"));
        await stream.WriteAsync(batch.AsMemory(0, half));
        await stream.FlushAsync();

        // Once the first one has its turn, the next batch waits in line, and the one after it is turned away.
        var admitted = Stopwatch.StartNew();
        while (admission.Statistics?.CurrentAvailablePermits != 0 && admitted.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }
        Assert.True(admission.Statistics?.CurrentAvailablePermits == 0, "the held batch never took its turn");
        var waiting = client.PostAsync("/predict/batch", new ByteArrayContent(batch) { Headers = { ContentType = new("application/json") } });
        while (admission.Statistics?.CurrentQueuedCount != 1 && admitted.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(10);
        }
        Assert.Equal(1, admission.Statistics?.CurrentQueuedCount);
        // Prometheus sees both. (At least: other tests in this process may have batches of their own in flight.)
        var metrics = await client.GetStringAsync("/metrics");
        Assert.True(PrometheusText.Sample(metrics, "anomaly_batches_running") >= 1, metrics);
        Assert.True(PrometheusText.Sample(metrics, "anomaly_batches_waiting") >= 1, metrics);
        var refusedBefore = PrometheusText.Sample(metrics, "anomaly_batches_refused_total");
        var refused = await client.PostAsync("/predict/batch", new ByteArrayContent(batch) { Headers = { ContentType = new("application/json") } });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1", Assert.Single(refused.Headers.GetValues("Retry-After")));
        using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Equal("Too many batches at once.", problem.RootElement.GetProperty("title").GetString());
            Assert.Contains("Scoring:MaxConcurrentBatches", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(refusedBefore + 1, PrometheusText.Sample(await client.GetStringAsync("/metrics"), "anomaly_batches_refused_total"));
        var single = await client.PostAsJsonAsync("/predict", new { features = rows[0] });
        Assert.Equal(HttpStatusCode.OK, single.StatusCode);


        // The rest of the first batch's body: it is scored and answered.
        await stream.WriteAsync(batch.AsMemory(half));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        Assert.Equal("HTTP/1.1 200 OK", await reader.ReadLineAsync());
        string? line;
        while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync()))
        {
            // the headers, up to the blank line before the body
        }
        Assert.Matches("^[0-9a-fA-F]+$", await reader.ReadLineAsync());  // chunked: the first chunk's size, then the chunk
        Assert.StartsWith("{\"results\":[", await reader.ReadLineAsync(), StringComparison.Ordinal);

        // The turn passes to the one in line, which is scored too.
        var second = await waiting;
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(rows.Length, JsonNode.Parse(await second.Content.ReadAsStringAsync())!["results"]!.AsArray().Count);
    }
}
