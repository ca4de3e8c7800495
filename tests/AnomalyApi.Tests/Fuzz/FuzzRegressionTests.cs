using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace AnomalyApi.Tests.Fuzz;

/// <summary>Bodies the fuzzer found a wrong answer for, kept as plain tests.</summary>
public sealed class FuzzRegressionTests
{
    // Found by PredictFuzzTests (seed aMQaFxSeJLg5): a client asking for NDJSON got its 415 as text/plain
    // ("Status Code: 415; Unsupported Media Type"), because the framework's problem writer declines requests
    // whose Accept names no JSON type.
    [Fact]
    public async Task Csv_WithWrongContentTypeAndNdjsonAccept_Returns415Problem()
    {
        await using var factory = new AnomalyApiFactory();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict/csv")
        {
            Content = new StringContent(TestModel.Csv(TestModel.RowAt(0.5)), Encoding.UTF8, "application/problem+json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));

        var response = await factory.CreateClient().SendAsync(request);

        await ProblemAssert.HasErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }

    // The same writer serves the 401: with keys configured and an Accept the framework declines, the challenge's
    // problem could not be written at all.
    [Theory]
    [InlineData("application/x-ndjson")]
    [InlineData("text/csv")]
    public async Task Unauthorized_WithANonJsonAccept_IsStillAProblem(string accept)
    {
        await using var factory = AnomalyApiFactory.With(("Auth:ApiKeys:0", "regression-key-19c7d3a0e4b2"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict/csv")
        {
            Content = new StringContent(TestModel.Csv(TestModel.RowAt(0.5)), Encoding.UTF8, "text/csv"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));

        var response = await factory.CreateClient().SendAsync(request);

        await ProblemAssert.HasErrorAsync(response, HttpStatusCode.Unauthorized, "X-API-Key");
    }

    [Fact]
    public async Task NotFound_WithANonJsonAccept_IsStillAProblemWithTitleAndTraceId()
    {
        await using var factory = new AnomalyApiFactory();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no-such-route");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(404, problem["status"]!.GetValue<int>());
        Assert.Equal("Not Found", problem["title"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(problem["traceId"]?.GetValue<string>()));
    }
}
