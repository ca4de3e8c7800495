using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AnomalyApi.Core.Scoring;

namespace AnomalyApi.Tests.Endpoints;

public sealed class PredictEndpointTests(AnomalyApiFactory factory) : IClassFixture<AnomalyApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Predict_WithFeaturesArray_ReturnsCoreScorersRmseAndShape()
    {
        var row = TestModel.RowAt(0.5);

        var response = await _client.PostAsJsonAsync("/predict", new JsonObject { ["features"] = TestModel.ToJsonArray(row) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var result = await ReadJsonAsync(response);
        AssertMatchesCore(result, TestModel.Score(row), 0);
        Assert.Equal(["rmse", "isAnomaly", "threshold", "adaptiveThreshold", "reconstruction", "topFeatures"], result.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Predict_WithValuesMapInAnyOrder_ScoresLikeTheArrayForm()
    {
        var row = TestModel.RowAt(0.3);
        var values = new JsonObject();
        foreach (var i in Enumerable.Range(0, TestModel.FeatureCount).Reverse())
        {
            values[TestModel.Features[i]] = row[i];
        }

        var response = await _client.PostAsJsonAsync("/predict", new JsonObject { ["values"] = values });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertMatchesCore(await ReadJsonAsync(response), TestModel.Score(row), 0);
    }

    [Fact]
    public async Task Predict_WithFeatureNamesInModelOrder_IsAccepted()
    {
        var row = TestModel.RowAt(0.7);
        var request = new JsonObject
        {
            ["features"] = TestModel.ToJsonArray(row),
            ["featureNames"] = new JsonArray([.. TestModel.Features.Select(f => (JsonNode)JsonValue.Create(f))]),
        };

        var response = await _client.PostAsJsonAsync("/predict", request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertMatchesCore(await ReadJsonAsync(response), TestModel.Score(row), 0);
    }

    [Fact]
    public async Task Predict_RmseAgreesWithTheModelCardFormulaOnTheReturnedReconstruction()
    {
        var row = TestModel.RowAt(0.6);

        var result = await ReadJsonAsync(await _client.PostAsJsonAsync("/predict", new JsonObject { ["features"] = TestModel.ToJsonArray(row) }));

        // Independent of Core: x_norm = clamp((x - min) / (max - min)), 0 for a constant feature.
        var config = TestModel.Config;
        var reconstruction = result["reconstruction"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var sum = 0.0;
        for (var i = 0; i < row.Length; i++)
        {
            var range = config.Normalization.Max[i] - config.Normalization.Min[i];
            var normalized = range > 0 ? Math.Clamp((row[i] - config.Normalization.Min[i]) / range, 0, 1) : 0;
            sum += Math.Pow((float)normalized - reconstruction[i], 2);
        }
        Assert.Equal(Math.Sqrt(sum / row.Length), result["rmse"]!.GetValue<double>(), 5);
        Assert.Equal(result["rmse"]!.GetValue<double>() > config.Threshold, result["isAnomaly"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Predict_TopFeaturesAreTheLargestSquaredErrorsLargestFirst()
    {
        var row = TestModel.RowAt(0.5);
        var idle = TestModel.Features.ToList().IndexOf("cpu_2_idle");
        row[idle] = (float)TestModel.Config.Normalization.Min[idle];

        var result = await ReadJsonAsync(await _client.PostAsJsonAsync("/predict", new JsonObject { ["features"] = TestModel.ToJsonArray(row) }));

        var expected = TestModel.Score(row).TopFeatures(0, 5);
        var top = result["topFeatures"]!.AsArray();
        Assert.Equal(expected.Select(f => f.Name), top.Select(f => f!["name"]!.GetValue<string>()));
        Assert.Equal(expected.Select(f => f.Error), top.Select(f => f!["error"]!.GetValue<float>()));
        var errors = top.Select(f => f!["error"]!.GetValue<float>()).ToArray();
        Assert.Equal(errors.OrderByDescending(e => e), errors);
    }

    [Fact]
    public async Task PredictBatch_WithArrays_ReturnsOneResultPerRowAndTheAnomalyCount()
    {
        var rows = TestModel.Rows(49).Prepend(TestModel.NormalRow()).ToArray();
        var request = new JsonObject { ["instances"] = new JsonArray([.. rows.Select(r => (JsonNode)TestModel.ToJsonArray(r))]) };

        var response = await _client.PostAsJsonAsync("/predict/batch", request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        var expected = TestModel.Score(rows);
        var results = body["results"]!.AsArray();
        Assert.Equal(rows.Length, results.Count);
        for (var i = 0; i < rows.Length; i++)
        {
            AssertMatchesCore(results[i]!, expected, i);
        }
        Assert.Equal(expected.AnomalyCount, body["anomalyCount"]!.GetValue<int>());
        // Both labels occur, so the count is a count and not the row total or zero.
        Assert.False(expected.IsAnomaly[0]);
        Assert.InRange(expected.AnomalyCount, 1, rows.Length - 1);
    }

    [Fact]
    public async Task PredictBatch_WithObjectsAndArraysMixed_ScoresEachRow()
    {
        var rows = TestModel.Rows(4, seed: 11);
        var request = new JsonObject
        {
            ["instances"] = new JsonArray(
                TestModel.ToJsonObject(rows[0]), TestModel.ToJsonArray(rows[1]), TestModel.ToJsonObject(rows[2]), TestModel.ToJsonArray(rows[3])),
        };

        var response = await _client.PostAsJsonAsync("/predict/batch", request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await ReadJsonAsync(response))["results"]!.AsArray();
        var expected = TestModel.Score(rows);
        for (var i = 0; i < rows.Length; i++)
        {
            AssertMatchesCore(results[i]!, expected, i);
        }
    }

    [Fact]
    public async Task PredictCsv_WithFeaturesInAnyOrder_ReturnsResultsWithTheTimestampAsId()
    {
        var rows = TestModel.Rows(10, seed: 3);

        var response = await _client.PostAsync("/predict/csv", new StringContent(TestModel.Csv(rows), Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        var expected = TestModel.Score(rows);
        var results = body["results"]!.AsArray();
        Assert.Equal(rows.Length, results.Count);
        for (var i = 0; i < rows.Length; i++)
        {
            AssertMatchesCore(results[i]!, expected, i);
            Assert.Equal($"2024-05-01T12:00:{i:00}Z", results[i]!["id"]!.GetValue<string>());
        }
        Assert.Equal(expected.AnomalyCount, body["anomalyCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task PredictCsv_AcceptingNdjson_StreamsOneJsonLinePerRow()
    {
        // More rows than one streaming chunk, so the stream spans several flushes.
        var rows = TestModel.Rows(600, seed: 5);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict/csv")
        {
            Content = new StringContent(TestModel.Csv(rows), Encoding.UTF8, "text/csv"),
        };
        request.Headers.Accept.ParseAdd("application/x-ndjson");

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(rows.Length, lines.Length);
        var expected = TestModel.Score(rows);
        for (var i = 0; i < rows.Length; i++)
        {
            var line = JsonNode.Parse(lines[i])!;
            AssertMatchesCore(line, expected, i);
            Assert.Equal($"2024-05-01T12:{i / 60:00}:{i % 60:00}Z", line["id"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task GetModel_DescribesTheLoadedModel()
    {
        var response = await _client.GetAsync("/model");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var model = await ReadJsonAsync(response);
        var config = TestModel.Config;
        Assert.Equal(config.ModelName, model["name"]!.GetValue<string>());
        Assert.Equal(config.ModelVersion, model["version"]!.GetValue<string>());
        Assert.Equal(config.Features, model["features"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(config.FeatureCount, model["featureCount"]!.GetValue<int>());
        Assert.Equal(config.Threshold, model["threshold"]!.GetValue<double>());
        Assert.Equal(config.Normalization.Clip, model["clip"]!.GetValue<bool>());
        Assert.Equal(config.InputName, model["inputName"]!.GetValue<string>());
        Assert.Equal(config.OutputName, model["outputName"]!.GetValue<string>());
        Assert.Equal(17, model["opset"]!.GetValue<long>());
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(TestModel.OnnxPath)));
        Assert.Equal(sha256, model["sha256"]!.GetValue<string>());
        var loadedAt = model["loadedAt"]!.GetValue<DateTimeOffset>();
        Assert.InRange(loadedAt, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task HealthEndpoints_AreHealthyOnceTheModelIsLoaded()
    {
        var live = await _client.GetAsync("/health/live");
        var ready = await _client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var readyBody = await ReadJsonAsync(ready);
        Assert.Equal("Healthy", readyBody["status"]!.GetValue<string>());
        Assert.Equal("Healthy", readyBody["checks"]!["model"]!["status"]!.GetValue<string>());
    }

    private static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static void AssertMatchesCore(JsonNode result, ScoredBatch expected, int row)
    {
        Assert.Equal(expected.Rmse[row], result["rmse"]!.GetValue<double>());
        Assert.Equal(expected.IsAnomaly[row], result["isAnomaly"]!.GetValue<bool>());
        Assert.Equal(expected.Threshold, result["threshold"]!.GetValue<double>());
        Assert.Equal(expected.ReconstructionRow(row).ToArray(), result["reconstruction"]!.AsArray().Select(v => v!.GetValue<float>()));
        Assert.Equal(5, result["topFeatures"]!.AsArray().Count);
    }
}
