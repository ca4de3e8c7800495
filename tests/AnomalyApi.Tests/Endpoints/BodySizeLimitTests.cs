using System.Net;
using System.Text;

namespace AnomalyApi.Tests.Endpoints;

public sealed class BodySizeLimitTests
{
    [Theory]
    [InlineData("/predict", "application/json")]
    [InlineData("/predict/csv", "text/csv")]
    public async Task Post_WithContentLengthOverTheLimit_Returns413(string path, string contentType)
    {
        await using var factory = AnomalyApiFactory.With(("Scoring:MaxRequestBodyBytes", "4096"));
        var client = factory.CreateClient();

        var response = await client.PostAsync(path, new StringContent(new string(' ', 5000), Encoding.UTF8, contentType));

        Assert.Contains("larger than 4096 bytes", await ProblemAssert.HasErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "body"));
    }

    [Fact]
    public async Task Post_WithChunkedBodyOverTheLimit_Returns413()
    {
        await using var factory = AnomalyApiFactory.With(("Scoring:MaxRequestBodyBytes", "4096"));
        var client = factory.CreateClient();
        // No Content-Length: the limit is enforced while reading.
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(new string(' ', 50_000))));
        content.Headers.ContentType = new("application/json");

        var response = await client.PostAsync("/predict/batch", content);

        await ProblemAssert.HasErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "body");
    }
}
