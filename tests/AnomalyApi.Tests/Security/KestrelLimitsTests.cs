using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AnomalyApi.Tests.Security;

/// <summary>What only the real server does: these run the service on Kestrel, on a loopback port.</summary>
public sealed class KestrelLimitsTests
{
    [Fact]
    public async Task Responses_HaveNoServerHeader()
    {
        await using var factory = new AnomalyApiFactory();
        factory.UseKestrel(0);
        factory.StartServer();
        var client = factory.CreateClient();

        foreach (var path in new[] { "/health/live", "/model", "/no-such-route" })
        {
            var response = await client.GetAsync(path);
            Assert.False(response.Headers.Contains("Server"), $"{path} sent Server: {string.Join(",", response.Headers.Server)}");
        }
    }

    [Fact]
    public async Task RequestHeadersTimeout_FromKestrelLimitsConfiguration_ClosesASlowClient()
    {
        // The default is 30 s; configured to 1 s, a client that never finishes its headers is answered 408 and
        // cut off long before the 20 s the helper waits.
        var answer = await SendAndReadUntilClosedAsync("Kestrel:Limits:RequestHeadersTimeout",
            "GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");

        Assert.NotNull(answer);
        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepAliveTimeout_FromKestrelLimitsConfiguration_ClosesAnIdleConnection()
    {
        // The answer, then (idle) the server closes the connection: the read ends instead of timing out.
        var answer = await SendAndReadUntilClosedAsync("Kestrel:Limits:KeepAliveTimeout",
            "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");

        Assert.NotNull(answer);
        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs the service on Kestrel with <paramref name="timeoutSetting"/> at 1 s, writes <paramref name="request"/>
    /// on a raw connection, and returns what the server sends until it closes the connection.
    /// </summary>
    private static async Task<string?> SendAndReadUntilClosedAsync(string timeoutSetting, string request)
    {
        await using var factory = AnomalyApiFactory.With((timeoutSetting, "00:00:01"));
        factory.UseKestrel(0);
        factory.StartServer();
        var port = factory.CreateClient().BaseAddress!.Port;

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        return await ReadUntilClosedAsync(stream, TimeSpan.FromSeconds(20));
    }

    /// <summary>Everything the server sends until it closes the connection, or null if it is still open after <paramref name="wait"/>.</summary>
    private static async Task<string?> ReadUntilClosedAsync(NetworkStream stream, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (IOException)
        {
            // A reset after the answer counts as closed.
        }
        return Encoding.ASCII.GetString(received.ToArray());
    }
}
