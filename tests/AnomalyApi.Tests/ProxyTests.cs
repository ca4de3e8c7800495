using System.Net;
using Microsoft.AspNetCore.Http;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AnomalyApi.Tests;

/// <summary>Behind nginx under /anomaly/: Swagger and its "Try it out" requests must go through the prefix.</summary>
public sealed class ProxyTests(AnomalyApiFactory factory) : IClassFixture<AnomalyApiFactory>
{
    [Fact]
    public async Task SwaggerJson_WithXForwardedPrefix_HasServerUrlWithThePrefix()
    {
        var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/swagger/v1/swagger.json");
        request.Headers.Add("X-Forwarded-Prefix", "/anomaly");

        var document = JsonNode.Parse(await (await client.SendAsync(request)).Content.ReadAsStringAsync())!;

        Assert.Equal("/anomaly", document["servers"]![0]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task SwaggerJson_WithoutAPrefix_HasTheRootServer()
    {
        var document = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!;

        Assert.Equal("/", document["servers"]![0]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task SwaggerUi_WithXForwardedPrefix_RedirectsRelativelyAndServesTheUi()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        using var redirect = new HttpRequestMessage(HttpMethod.Get, "/swagger");
        redirect.Headers.Add("X-Forwarded-Prefix", "/anomaly");

        var response = await client.SendAsync(redirect);
        var index = await client.GetAsync("/swagger/index.html");

        // A relative Location keeps the browser under /anomaly/.
        Assert.Equal("swagger/index.html", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("swagger-ui", await index.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PathBaseSetting_ServesUnderThePrefixAndWithoutIt()
    {
        await using var prefixed = AnomalyApiFactory.With(("PathBase", "/anomaly"));
        var client = prefixed.CreateClient();
        var body = new JsonObject { ["features"] = TestModel.ToJsonArray(TestModel.RowAt(0.5)) };

        // A proxy that keeps the prefix, and one that strips it without saying so.
        var kept = await client.PostAsJsonAsync("/anomaly/predict", body);
        var stripped = await client.PostAsJsonAsync("/predict", body);
        var swagger = JsonNode.Parse(await client.GetStringAsync("/anomaly/swagger/v1/swagger.json"))!;

        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stripped.StatusCode);
        Assert.Equal("/anomaly", swagger["servers"]![0]!["url"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, "/")]
    [InlineData("10.0.0.0/8", "/anomaly")]
    public async Task XForwardedPrefix_IsHonouredOnlyFromTrustedProxies(string? knownNetwork, string expectedServer)
    {
        await using var configured = knownNetwork is null
            ? new AnomalyApiFactory()
            : AnomalyApiFactory.With(("ForwardedHeaders:KnownNetworks:0", knownNetwork));

        var context = await configured.Server.SendAsync(http =>
        {
            // A proxy on another host: not loopback, so trusted only when configured.
            http.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
            http.Request.Method = "GET";
            http.Request.Path = "/swagger/v1/swagger.json";
            http.Request.Headers["X-Forwarded-Prefix"] = "/anomaly";
            http.Request.Headers["X-Forwarded-For"] = "203.0.113.7";
        });

        var document = await JsonNode.ParseAsync(context.Response.Body);
        Assert.Equal(expectedServer, document!["servers"]![0]!["url"]!.GetValue<string>());
    }
}
