using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AnomalyApi.Tests.Collector;

/// <summary>
/// What the collector tests read from the running service: readiness, the collector's check, /collector/recent,
/// and whether /predict still answers. Waits are bounded polls, never fixed sleeps that must be long enough.
/// </summary>
internal static class CollectorProbe
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task AssertPredictWorksAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/predict", new JsonObject { ["features"] = TestModel.ToJsonArray(TestModel.RowAt(0.5)) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static async Task<JsonObject> ReadyAsync(HttpClient client) => (await ReadyWithStatusAsync(client)).Body;

    public static async Task<(HttpStatusCode Status, JsonObject Body)> ReadyWithStatusAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health/ready");
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    public static async Task<JsonObject> WaitForCollectorCheckAsync(HttpClient client, Func<JsonObject, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var check = (await ReadyAsync(client))["checks"]?["collector"]?.AsObject();
            if (check is not null && condition(check))
            {
                return check;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the collector check did not get there within {Patience.TotalSeconds} s; last: {check?.ToJsonString() ?? "absent"}");
            await Task.Delay(200);
        }
    }

    public static async Task<JsonObject> WaitForRecentAsync(HttpClient client, Func<JsonObject, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var recent = (await client.GetFromJsonAsync<JsonObject>("/collector/recent"))!;
            if (condition(recent))
            {
                return recent;
            }
            Assert.True(DateTime.UtcNow < deadline, $"/collector/recent did not get there within {Patience.TotalSeconds} s; last: {recent.ToJsonString()}");
            await Task.Delay(200);
        }
    }
}
