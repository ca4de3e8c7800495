using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AnomalyApi.Tests;

public sealed class SwaggerTests(AnomalyApiFactory factory) : IClassFixture<AnomalyApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("/predict", "application/json", new[] { "features", "values", "featuresWithNames" })]
    [InlineData("/predict/batch", "application/json", new[] { "arrays", "objects" })]
    [InlineData("/predict/csv", "text/csv", new[] { "csv" })]
    public async Task EveryBodyExample_ScoresWith200(string path, string mediaType, string[] exampleNames)
    {
        var document = JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var examples = document["paths"]![path]!["post"]!["requestBody"]!["content"]![mediaType]!["examples"]!.AsObject();

        Assert.Equal(exampleNames, examples.Select(e => e.Key));
        foreach (var (name, example) in examples)
        {
            var value = example!["value"]!;
            var body = value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();

            var response = await _client.PostAsync(path, new StringContent(body, Encoding.UTF8, mediaType));

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} example '{name}': {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Theory]
    [InlineData("/predict")]
    [InlineData("/predict/batch")]
    [InlineData("/predict/csv")]
    public async Task PostOperations_DocumentTheirErrorResponsesAsProblems(string path)
    {
        var document = JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var responses = document["paths"]![path]!["post"]!["responses"]!.AsObject();

        foreach (var status in new[] { "400", "413", "415", "503" })
        {
            Assert.True(responses.ContainsKey(status), $"{path} does not document {status}");
            Assert.NotNull(responses[status]!["content"]!["application/problem+json"]);
        }
        Assert.NotNull(responses["200"]!["content"]!["application/json"]);
    }

    [Fact]
    public async Task CsvOperation_DocumentsTheNdjsonStream()
    {
        var document = JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!;

        Assert.NotNull(document["paths"]!["/predict/csv"]!["post"]!["responses"]!["200"]!["content"]!["application/x-ndjson"]);
    }

    [Fact]
    public async Task BatchOperation_DocumentsTheProtobufFormAsBinary()
    {
        var document = JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var batch = document["paths"]!["/predict/batch"]!["post"]!;

        foreach (var content in new[] { batch["requestBody"]!["content"]!, batch["responses"]!["200"]!["content"]! })
        {
            var schema = content["application/x-protobuf"]!["schema"]!;
            Assert.Equal("binary", schema["format"]!.GetValue<string>());
            Assert.Contains("predict_batch.proto", schema["description"]!.GetValue<string>() + batch["description"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.NotNull(content["application/json"]);
        }
    }
}
