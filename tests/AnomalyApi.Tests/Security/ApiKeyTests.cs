using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace AnomalyApi.Tests.Security;

public sealed class ApiKeyTests
{
    private const string Key = "scoring-key-7f3a9c2e51d04b86";
    private const string OtherKey = "scoring-key-0b44e1c9a2f3d765";
    private const string AdminKey = "admin-key-5d1e8a3c7b9f2046aa";

    private static AnomalyApiFactory WithKeys(params (string Key, string? Value)[] more) =>
        AnomalyApiFactory.With([("Auth:ApiKeys:0", Key), ("Auth:ApiKeys:1", OtherKey), .. more]);

    [Fact]
    public async Task Predict_WithKeysConfiguredAndNoKey_Returns401ProblemNamingTheHeader()
    {
        await using var factory = WithKeys();
        var client = factory.CreateClient();

        var response = await PostRowAsync(client, key: null);

        var message = await ProblemAssert.HasErrorAsync(response, HttpStatusCode.Unauthorized, "X-API-Key");
        Assert.Contains("missing", message, StringComparison.Ordinal);
        Assert.Contains("X-API-Key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong-key-entirely-0000000000")]
    [InlineData("scoring-key-7f3a9c2e51d04b87")]      // the right key but its last character
    [InlineData("scoring-key-7f3a9c2e51d04b8")]       // a prefix of the right key
    [InlineData("scoring-key-7f3a9c2e51d04b866")]     // the right key and one more character
    [InlineData("SCORING-KEY-7F3A9C2E51D04B86")]      // keys are case-sensitive
    [InlineData(" scoring-key-7f3a9c2e51d04b86")]
    public async Task Predict_WithWrongKey_Returns401Problem(string wrong)
    {
        await using var factory = WithKeys();
        var client = factory.CreateClient();

        var response = await PostRowAsync(client, wrong);

        var message = await ProblemAssert.HasErrorAsync(response, HttpStatusCode.Unauthorized, "X-API-Key");
        Assert.Contains("not a valid key", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_WithTwoKeyHeaders_Returns401EvenIfOneIsRight()
    {
        await using var factory = WithKeys();
        var client = factory.CreateClient();
        using var request = RowRequest();
        request.Headers.TryAddWithoutValidation("X-API-Key", [Key, "wrong-key-entirely-0000000000"]);

        var response = await client.SendAsync(request);

        await ProblemAssert.HasErrorAsync(response, HttpStatusCode.Unauthorized, "X-API-Key");
    }

    [Theory]
    [InlineData(Key)]
    [InlineData(OtherKey)]
    public async Task Predict_WithAConfiguredKey_ScoresLikeCore(string key)
    {
        await using var factory = WithKeys();
        var client = factory.CreateClient();

        var response = await PostRowAsync(client, key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(TestModel.Score(TestModel.RowAt(0.5)).Rmse[0], result!["rmse"]!.GetValue<double>());
    }

    [Fact]
    public async Task ModelAndCollector_WithKeysConfigured_NeedAKeyToo()
    {
        await using var factory = WithKeys();
        var client = factory.CreateClient();

        await ProblemAssert.HasErrorAsync(await client.GetAsync("/model"), HttpStatusCode.Unauthorized, "X-API-Key");
        await ProblemAssert.HasErrorAsync(await client.GetAsync("/collector/recent"), HttpStatusCode.Unauthorized, "X-API-Key");
        client.DefaultRequestHeaders.Add("X-API-Key", Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/model")).StatusCode);
    }

    [Fact]
    public async Task ScoringEndpoints_WithNoKeysConfigured_AreOpen()
    {
        await using var factory = new AnomalyApiFactory();
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await PostRowAsync(client, key: null)).StatusCode);
        // A key nobody configured changes nothing while the API is open.
        Assert.Equal(HttpStatusCode.OK, (await PostRowAsync(client, "some-key-nobody-configured")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/model")).StatusCode);
        Assert.Contains(factory.Logs, l => l.Message.Contains("Auth:ApiKeys is empty", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HealthMetricsAndSwagger_WithKeysConfigured_StayOpen()
    {
        await using var factory = WithKeys();
        var client = factory.CreateClient();

        foreach (var path in new[] { "/health/live", "/health/ready", "/metrics", "/swagger/v1/swagger.json", "/swagger/index.html" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("POST", "/admin/model/reload")]
    [InlineData("GET", "/admin")]
    [InlineData("GET", "/admin/no-such-route")]
    [InlineData("DELETE", "/ADMIN/Model/Reload")]
    public async Task Admin_WithoutKey_Returns401BeforeRouting(string method, string path)
    {
        // Keys configured or not: /admin/* always needs one. Unmapped admin paths answer 401 too, so the admin
        // surface cannot be mapped out by probing, and a route added later cannot be forgotten.
        foreach (var factory in new[] { new AnomalyApiFactory(), WithKeys() })
        {
            await using (factory)
            {
                var response = await factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
                await ProblemAssert.HasErrorAsync(response, HttpStatusCode.Unauthorized, "X-API-Key");
            }
        }
    }

    [Fact]
    public async Task Admin_WithNoKeysConfigured_RejectsAnyKeyAndSaysSoAtStart()
    {
        await using var factory = new AnomalyApiFactory();
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", Key);

        var response = await client.PostAsync("/admin/model/reload", null);

        await ProblemAssert.HasErrorAsync(response, HttpStatusCode.Unauthorized, "X-API-Key");
        Assert.Contains(factory.Logs, l => l.Message.Contains("/admin/* answers 401 to every request", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Admin_WithAnApiKeyAndNoAdminKeys_PassesTheGate()
    {
        await using var factory = WithKeys();
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", Key);

        // Past authorization, routing decides: an unmapped admin path is a plain 404.
        var response = await client.GetAsync("/admin/no-such-route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Admin_WithAKey_ReachesTheReloadEndpoint()
    {
        await using var factory = WithKeys();
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", OtherKey);

        var response = await client.PostAsync("/admin/model/reload", null);

        Assert.True((int)response.StatusCode is not (401 or 403 or 404 or 405), $"answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task Admin_WithAdminKeysConfigured_ForbidsApiKeysAndAdmitsAdminKeys()
    {
        await using var factory = WithKeys(("Auth:AdminKeys:0", AdminKey));
        var client = factory.CreateClient();

        using var withApiKey = new HttpRequestMessage(HttpMethod.Get, "/admin/no-such-route") { Headers = { { "X-API-Key", Key } } };
        await ProblemAssert.HasErrorAsync(await client.SendAsync(withApiKey), HttpStatusCode.Forbidden, "X-API-Key");

        using var withAdminKey = new HttpRequestMessage(HttpMethod.Get, "/admin/no-such-route") { Headers = { { "X-API-Key", AdminKey } } };
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(withAdminKey)).StatusCode);

        // An admin key is good for the API as well.
        Assert.Equal(HttpStatusCode.OK, (await PostRowAsync(client, AdminKey)).StatusCode);
    }

    [Fact]
    public async Task Keys_NeverAppearInTheLog()
    {
        const string wrong = "wrong-key-that-must-not-be-logged";
        await using var factory = WithKeys(("Auth:AdminKeys:0", AdminKey), ("Logging:LogLevel:Default", "Debug"),
            ("Logging:LogLevel:Microsoft.AspNetCore", "Debug"));
        var client = factory.CreateClient();

        await PostRowAsync(client, Key);
        await PostRowAsync(client, wrong);
        await PostRowAsync(client, null);
        await PostRowAsync(client, AdminKey);
        using var admin = new HttpRequestMessage(HttpMethod.Post, "/admin/model/reload") { Headers = { { "X-API-Key", Key } } };
        await client.SendAsync(admin);

        Assert.Contains(factory.Logs, l => l.Message.Contains("Rejected an invalid X-API-Key", StringComparison.Ordinal));
        foreach (var secret in new[] { Key, OtherKey, AdminKey, wrong })
        {
            Assert.DoesNotContain(factory.Logs, l => l.Message.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task SwaggerDocument_DescribesTheApiKeyScheme()
    {
        await using var factory = new AnomalyApiFactory();
        var document = await factory.CreateClient().GetFromJsonAsync<JsonObject>("/swagger/v1/swagger.json");

        var scheme = document!["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("apiKey", scheme["type"]!.GetValue<string>());
        Assert.Equal("header", scheme["in"]!.GetValue<string>());
        Assert.Equal("X-API-Key", scheme["name"]!.GetValue<string>());
        var predict = document["paths"]!["/predict"]!["post"]!;
        Assert.NotNull(predict["security"]![0]!["ApiKey"]);
        Assert.NotNull(predict["responses"]!["401"]);
    }

    [Fact]
    public async Task ShortKey_InConfiguration_StopsTheServiceNamingTheKey()
    {
        await using var factory = AnomalyApiFactory.With(("Auth:ApiKeys:0", "tiny-key-42"));

        Assert.ThrowsAny<Exception>(() => factory.CreateClient().GetAsync("/health/live").GetAwaiter().GetResult());

        var critical = Assert.Single(factory.Logs, l => l.Level == LogLevel.Critical);
        Assert.Contains("Auth:ApiKeys", critical.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tiny-key-42", critical.Message, StringComparison.Ordinal);
    }

    private static HttpRequestMessage RowRequest() => new(HttpMethod.Post, "/predict")
    {
        Content = JsonContent.Create(new JsonObject { ["features"] = TestModel.ToJsonArray(TestModel.RowAt(0.5)) }),
    };

    private static async Task<HttpResponseMessage> PostRowAsync(HttpClient client, string? key)
    {
        using var request = RowRequest();
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }
        return await client.SendAsync(request);
    }
}
