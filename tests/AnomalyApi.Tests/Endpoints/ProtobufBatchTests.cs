using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AnomalyApi.Contracts.Protobuf;
using Google.Protobuf;

namespace AnomalyApi.Tests.Endpoints;

/// <summary>
/// /predict/batch with a protocol buffers body, on Kestrel: the same scores as JSON, and the same kinds of refusal.
/// </summary>
public sealed class ProtobufBatchTests(KestrelServer server) : IClassFixture<KestrelServer>
{
    private readonly HttpClient _client = server.Client;

    [Theory]
    [InlineData("application/x-protobuf")]
    [InlineData("application/protobuf")]
    public async Task Batch_AnswersInProtobuf_WithTheJsonResponsesValues(string contentType)
    {
        var rows = TestModel.Rows(29).Prepend(TestModel.NormalRow()).ToArray();
        var json = JsonNode.Parse(await (await _client.PostAsJsonAsync("/predict/batch",
            new JsonObject { ["instances"] = new JsonArray([.. rows.Select(r => (JsonNode)TestModel.ToJsonArray(r))]) }))
            .Content.ReadAsStringAsync())!;

        var response = await PostAsync(Request(rows), contentType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        var message = BatchResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        var expected = TestModel.Score(rows);
        Assert.Equal(rows.Length, message.Results.Count);
        Assert.Equal(expected.AnomalyCount, (int)message.AnomalyCount);
        Assert.InRange(expected.AnomalyCount, 1, rows.Length - 1);
        for (var i = 0; i < rows.Length; i++)
        {
            var result = message.Results[i];
            var jsonResult = json["results"]![i]!;
            Assert.Equal(expected.Rmse[i], result.Rmse);
            Assert.Equal(expected.IsAnomaly[i], result.IsAnomaly);
            Assert.Equal(jsonResult["isAnomaly"]!.GetValue<bool>(), result.IsAnomaly);
            Assert.Equal(expected.Threshold, result.Threshold);
            Assert.Equal(jsonResult["adaptiveThreshold"] is null, !result.HasAdaptiveThreshold);
            Assert.Equal(expected.ReconstructionRow(i).ToArray(), result.Reconstruction);
            var jsonTop = jsonResult["topFeatures"]!.AsArray();
            Assert.Equal(jsonTop.Select(t => t!["name"]!.GetValue<string>()), result.TopFeatures.Select(t => t.Name));
            Assert.Equal(jsonTop.Select(t => t!["error"]!.GetValue<float>()), result.TopFeatures.Select(t => t.Error));
            Assert.Equal(5, result.TopFeatures.Count);
        }
    }

    [Fact]
    public async Task Batch_WithTheAdaptiveThreshold_CarriesItOnEveryRowOnceTrusted()
    {
        await using var factory = AnomalyApiFactory.With(
            ("Scoring:Adaptive:Enabled", "true"), ("Scoring:Adaptive:MinObservations", "5"),
            ("Scoring:Adaptive:Quantile", "0.5"), ("Scoring:Adaptive:Window", "10"));
        var client = factory.CreateClient();
        var rows = TestModel.Rows(20);
        var content = new ByteArrayContent(Request(rows).ToByteArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-protobuf");

        var message = BatchResponse.Parser.ParseFrom(await (await client.PostAsync("/predict/batch", content)).Content.ReadAsByteArrayAsync());

        // Unset while fewer than five scores were seen, then a positive quantile on every later row.
        Assert.Equal(rows.Length, message.Results.Count);
        Assert.Contains(message.Results, r => !r.HasAdaptiveThreshold);
        Assert.All(message.Results.Skip(5), r => Assert.True(r.HasAdaptiveThreshold && r.AdaptiveThreshold > 0));
    }

    public static TheoryData<string, byte[], HttpStatusCode, string, string> BadRequests()
    {
        var width = TestModel.FeatureCount;
        var row = TestModel.RowAt(0.5);
        var good = Request([row, row]).ToByteArray();
        var withNaN = (float[])row.Clone();
        withNaN[3] = float.NaN;
        return new()
        {
            { "not protobuf", [0xFF, 0xFF, 0xFF, 0xFF], HttpStatusCode.BadRequest, "body", "not a BatchRequest" },
            { "truncated", good[..(good.Length / 2)], HttpStatusCode.BadRequest, "body", "not a BatchRequest" },
            { "no feature_count", new BatchRequest { Values = { row } }.ToByteArray(), HttpStatusCode.BadRequest, "feature_count", $"is missing; set it to the model's feature count, {width}" },
            { "wrong feature_count", new BatchRequest { FeatureCount = 7, Values = { row } }.ToByteArray(), HttpStatusCode.BadRequest, "feature_count", $"is 7, but the model reads {width} features" },
            { "no rows", new BatchRequest { FeatureCount = (uint)width }.ToByteArray(), HttpStatusCode.BadRequest, "values", "at least one row" },
            { "ragged", new BatchRequest { FeatureCount = (uint)width, Values = { row, row[..5] } }.ToByteArray(), HttpStatusCode.BadRequest, "values", $"{width + 5} values, which is not a whole number of rows of {width}" },
            { "NaN", Request([row, withNaN]).ToByteArray(), HttpStatusCode.BadRequest, $"values[{width + 3}]", $"is NaN (row 1, {TestModel.Features[3]})" },
            { "too many rows", Request([.. Enumerable.Repeat(row, 4097)]).ToByteArray(), HttpStatusCode.RequestEntityTooLarge, "values", "4097 rows, but at most 4096" },
        };
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadBatch_IsAProblemNamingTheField(string what, byte[] body, HttpStatusCode status, string field, string message)
    {
        var response = await PostAsync(body, "application/x-protobuf");

        Assert.True(message.Length > 0, what);
        Assert.Contains(message, await ProblemAssert.HasErrorAsync(response, status, field), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongContentType_Is415NamingBothFormats()
    {
        var response = await PostAsync(Request([TestModel.RowAt(0.5)]).ToByteArray(), "application/octet-stream");

        var text = await ProblemAssert.HasErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type");
        Assert.Contains("application/json or application/x-protobuf", text, StringComparison.Ordinal);
    }

    private static BatchRequest Request(float[][] rows)
    {
        var request = new BatchRequest { FeatureCount = (uint)TestModel.FeatureCount };
        foreach (var row in rows)
        {
            request.Values.AddRange(row);
        }
        return request;
    }

    private Task<HttpResponseMessage> PostAsync(BatchRequest request, string contentType) => PostAsync(request.ToByteArray(), contentType);

    private Task<HttpResponseMessage> PostAsync(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return _client.PostAsync("/predict/batch", content);
    }
}
