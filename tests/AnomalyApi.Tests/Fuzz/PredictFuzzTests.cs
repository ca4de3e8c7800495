using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AnomalyApi.Contracts.Protobuf;
using CsCheck;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace AnomalyApi.Tests.Fuzz;

/// <summary>
/// Generated and mutated bodies against the three scoring routes: every answer is a 2xx or a 4xx problem, never a
/// 5xx, nothing reaches the unhandled-exception handler, and the service still scores a known row correctly after.
/// A failure prints the smallest body CsCheck could shrink it to, and the seed to replay it (CsCheck_Seed).
/// </summary>
public sealed class PredictFuzzTests(ITestOutputHelper output)
{
    private const int Bodies = 21_000;

    [Fact]
    public async Task GeneratedAndMutatedBodies_AreAnswered2xxOr4xxProblem_AndTheServiceStillScores()
    {
        await using var factory = new AnomalyApiFactory();
        var client = factory.CreateClient();
        var statuses = new ConcurrentDictionary<(string Route, int Status), int>();
        var sent = 0;
        var protobufScored = 0;
        var clock = Stopwatch.StartNew();

        await FuzzBodies.Any.SampleAsync(async request =>
        {
            using var response = await SendAsync(client, request);
            Interlocked.Increment(ref sent);
            statuses.AddOrUpdate((request.Route, (int)response.StatusCode), 1, (_, n) => n + 1);
            if (response.Content.Headers.ContentType?.MediaType == "application/x-protobuf")
            {
                Interlocked.Increment(ref protobufScored);
            }
            await AssertAcceptableAsync(response);
        }, iter: Bodies, print: request => request.ToString(), writeLine: output.WriteLine);

        clock.Stop();
        output.WriteLine($"{sent} bodies in {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var ((route, status), count) in statuses.OrderBy(s => s.Key))
        {
            output.WriteLine($"{route,-16} {status} × {count}");
        }

        Assert.True(sent >= 20_000, $"only {sent} bodies were sent");
        // The generators reach both sides: bodies that score and bodies that are refused, on every route.
        foreach (var route in new[] { "/predict", "/predict/batch", "/predict/csv" })
        {
            Assert.Contains(statuses.Keys, s => s.Route == route && s.Status == 200);
            Assert.Contains(statuses.Keys, s => s.Route == route && s.Status == 400);
        }
        Assert.True(protobufScored > 0, "no protobuf batch was scored");
        Assert.DoesNotContain(factory.Logs, l => l.Level >= LogLevel.Error);

        // Still serving, and still right: a known row scores as Core's own scorer says.
        var row = TestModel.NormalRow();
        var after = await client.PostAsJsonAsync("/predict", new JsonObject { ["features"] = TestModel.ToJsonArray(row) });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var result = await after.Content.ReadFromJsonAsync<JsonObject>();
        var expected = TestModel.Score(row);
        Assert.Equal(expected.Rmse[0], result!["rmse"]!.GetValue<double>());
        Assert.Equal(expected.IsAnomaly[0], result["isAnomaly"]!.GetValue<bool>());
        Assert.Equal(expected.ReconstructionRow(0).ToArray(), result["reconstruction"]!.AsArray().Select(v => v!.GetValue<float>()));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, FuzzRequest request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Route) { Content = new ByteArrayContent(request.Body) };
        if (request.ContentType is not null)
        {
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }
        if (request.Accept is not null)
        {
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(request.Accept));
        }
        return await client.SendAsync(message);
    }

    /// <summary>2xx with a body that parses, or a 4xx problem whose status matches; anything else fails the sample.</summary>
    private static async Task AssertAcceptableAsync(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (status is >= 200 and < 300)
        {
            if (mediaType == "application/x-protobuf")
            {
                Assert.NotEmpty(BatchResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).Results);
                return;
            }
            var body = await response.Content.ReadAsStringAsync();
            if (mediaType == "application/x-ndjson")
            {
                foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    using var _ = JsonDocument.Parse(line);
                }
                return;
            }
            Assert.Equal("application/json", mediaType);
            using var document = JsonDocument.Parse(body);
            return;
        }
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status is >= 400 and < 500, $"answered {status}: {Truncate(text)}");
        Assert.True(mediaType == "application/problem+json", $"{status} as {mediaType}: {Truncate(text)}");
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500] + "…";
}
