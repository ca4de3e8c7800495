using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AnomalyApi.Tests;

public sealed class ConcurrencyTests(AnomalyApiFactory factory) : IClassFixture<AnomalyApiFactory>
{
    [Fact]
    public async Task Predict_With64ConcurrentClientsOf200Requests_AnswersLikeSequentialCalls()
    {
        const int clients = 64;
        const int requestsPerClient = 200;
        var rows = TestModel.Rows(32, seed: 99);
        var bodies = rows.Select(r => new JsonObject { ["features"] = TestModel.ToJsonArray(r) }.ToJsonString()).ToArray();

        // Sequential answers first: the whole response body, byte for byte.
        var sequentialClient = factory.CreateClient();
        var expected = new string[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            expected[i] = await PostAsync(sequentialClient, bodies[i]);
        }
        var core = TestModel.Score(rows);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(core.Rmse[i], JsonNode.Parse(expected[i])!["rmse"]!.GetValue<double>());
        }

        var mismatches = 0;
        var completed = 0;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var http = factory.CreateClient();
            for (var request = 0; request < requestsPerClient; request++)
            {
                var row = (client * 7 + request) % rows.Length;
                if (await PostAsync(http, bodies[row]) != expected[row])
                {
                    Interlocked.Increment(ref mismatches);
                }
                Interlocked.Increment(ref completed);
            }
        })));

        Assert.Equal(clients * requestsPerClient, completed);
        Assert.Equal(0, mismatches);
    }

    private static async Task<string> PostAsync(HttpClient client, string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/predict", content);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
