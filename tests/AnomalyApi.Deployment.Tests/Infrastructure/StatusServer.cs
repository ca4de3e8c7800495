using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AnomalyApi.Deployment.Tests.Infrastructure;

/// <summary>
/// A stand-in replica on a loopback port that answers every request with one status and a problem body, as a
/// replica that is up but not ready answers 503. Plain sockets, so any Host header is accepted; one request per
/// connection (it answers with Connection: close). Logs "METHOD /path" of each request.
/// </summary>
internal sealed class StatusServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public StatusServer(HttpStatusCode status)
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
                _ = Task.Run(() => AnswerAsync(client, status));
            }
        });
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public ConcurrentQueue<string> RequestLog { get; } = new();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task AnswerAsync(TcpClient client, HttpStatusCode status)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                var lines = head.Split("\r\n");
                var requestLine = lines[0].Split(' ');
                RequestLog.Enqueue($"{requestLine[0]} {requestLine[1]}");
                var length = lines.Select(l => l.Split(':', 2))
                    .Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    .Select(p => long.Parse(p[1].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
                var buffer = new byte[8192];
                for (long read = 0; read < length;)
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - read)));
                    if (n == 0)
                    {
                        break;
                    }
                    read += n;
                }
                var body = $"{{\"title\":\"stand-in\",\"status\":{(int)status}}}";
                var response = $"HTTP/1.1 {(int)status} {status}\r\nContent-Type: application/problem+json\r\n"
                    + $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
                await stream.WriteAsync(Encoding.UTF8.GetBytes(response));
            }
            catch (IOException)
            {
                // The client went away; nothing to answer.
            }
        }
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                break;
            }
            head.Add(one[0]);
        }
        return Encoding.ASCII.GetString([.. head]);
    }
}
