using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AnomalyApi.Tests.Security;

public sealed class RateLimitingTests
{
    private const string KeyA = "rate-key-a-3c9e1f7b2d5a8e40";
    private const string KeyB = "rate-key-b-8a1d4c6e0f2b9d73";
    private const int PermitLimit = 3;

    // Windows long enough that a burst of a few in-memory requests lands in one, even on a busy machine.
    private static AnomalyApiFactory Limited(params (string Key, string? Value)[] more) => AnomalyApiFactory.With(
    [
        ("RateLimiting:Enabled", "true"),
        ("RateLimiting:PermitLimit", PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("RateLimiting:WindowSeconds", "3"),
        .. more,
    ]);

    [Fact]
    public async Task BurstOverTheLimit_Gets429WithRetryAfter_AndTheNextWindowPasses()
    {
        await using var factory = Limited();
        var client = factory.CreateClient();

        var (served, refused) = await BurstUntilRefusedAsync(() => client.GetAsync("/model"));

        // The window may roll over once during the burst, never more.
        Assert.InRange(served, PermitLimit, 2 * PermitLimit);
        await ProblemAssert.HasErrorAsync(refused, HttpStatusCode.TooManyRequests, "rateLimit");
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 3);

        // Wait as told, then keep trying until the new window serves us (it must, within a few windows).
        await Task.Delay(retryAfter.Value);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage next;
        while ((next = await client.GetAsync("/model")).StatusCode == HttpStatusCode.TooManyRequests && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task EachApiKey_HasItsOwnAllowance()
    {
        await using var factory = Limited(("Auth:ApiKeys:0", KeyA), ("Auth:ApiKeys:1", KeyB));
        var clientA = factory.CreateClient();
        clientA.DefaultRequestHeaders.Add("X-API-Key", KeyA);
        var clientB = factory.CreateClient();
        clientB.DefaultRequestHeaders.Add("X-API-Key", KeyB);

        await BurstUntilRefusedAsync(() => clientA.GetAsync("/model"));

        Assert.Equal(HttpStatusCode.OK, (await clientB.GetAsync("/model")).StatusCode);
    }

    [Fact]
    public async Task MadeUpKeys_ShareTheClientAddressesAllowance()
    {
        // Rate limiting runs before authorization: each wrong key is a 401 that still counts against the address,
        // so cycling made-up keys buys no extra attempts.
        await using var factory = Limited(("Auth:ApiKeys:0", KeyA));
        var client = factory.CreateClient();
        var attempt = 0;

        var (served, refused) = await BurstUntilRefusedAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/model");
            request.Headers.Add("X-API-Key", $"made-up-key-{attempt++:D20}");
            return await client.SendAsync(request);
        }, HttpStatusCode.Unauthorized);

        Assert.InRange(served, PermitLimit, 2 * PermitLimit);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    [Fact]
    public async Task ClientsBehindATrustedProxy_AreLimitedByTheirForwardedAddress()
    {
        await using var factory = Limited();

        async Task<int> GetFromAsync(string client)
        {
            var context = await factory.Server.SendAsync(http =>
            {
                http.Connection.RemoteIpAddress = IPAddress.Loopback;  // nginx on the same host: trusted by default
                http.Request.Method = "GET";
                http.Request.Path = "/model";
                http.Request.Headers["X-Forwarded-For"] = client;
            });
            return context.Response.StatusCode;
        }

        var first = new List<int>();
        for (var i = 0; i < PermitLimit * 3 && !first.Contains(StatusCodes.Status429TooManyRequests); i++)
        {
            first.Add(await GetFromAsync("203.0.113.7"));
        }

        Assert.Contains(StatusCodes.Status429TooManyRequests, first);
        Assert.Equal(StatusCodes.Status200OK, await GetFromAsync("198.51.100.23"));
    }

    [Fact]
    public async Task HealthAndMetrics_AreNeverLimited()
    {
        await using var factory = Limited();
        var client = factory.CreateClient();
        await BurstUntilRefusedAsync(() => client.GetAsync("/model"));

        for (var i = 0; i < PermitLimit * 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode);
        }
    }

    [Fact]
    public async Task Disabled_ByDefault_NothingIsRefused()
    {
        await using var factory = new AnomalyApiFactory();
        var client = factory.CreateClient();

        for (var i = 0; i < 150; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/model")).StatusCode);
        }
    }

    /// <summary>
    /// Sends until the first 429 (at most 50 tries), every earlier answer being <paramref name="expected"/>;
    /// returns how many came before it, and the 429.
    /// </summary>
    private static async Task<(int Served, HttpResponseMessage Refused)> BurstUntilRefusedAsync(
        Func<Task<HttpResponseMessage>> send, HttpStatusCode expected = HttpStatusCode.OK)
    {
        for (var served = 0; served < 50; served++)
        {
            var response = await send();
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return (served, response);
            }
            Assert.Equal(expected, response.StatusCode);
        }
        Assert.Fail("50 requests in a row were served; the limit never applied");
        return default;
    }
}
