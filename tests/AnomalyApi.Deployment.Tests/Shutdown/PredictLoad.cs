using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AnomalyApi.Deployment.Tests.Infrastructure;

namespace AnomalyApi.Deployment.Tests.Shutdown;

/// <summary>
/// Clients posting /predict back to back, each on its own keep-alive connection, until stopped: steady traffic.
/// Every answer must be a complete 200 with a finite score, else it is a failure (<see cref="Failures"/>). A request
/// that got no answer at all is counted apart: <see cref="Refused"/> when the connection was refused (nothing listens
/// any more), <see cref="Unanswered"/> when the connection ended before any response (the server closed an idle
/// keep-alive connection just as the request went out). Whether the server had accepted such a request is for the
/// server's log to say: it either started it or not.
/// </summary>
internal sealed class PredictLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _clients;
    private int _succeeded;
    private int _refused;

    public PredictLoad(Uri baseAddress, int clients)
    {
        var body = Telemetry.PredictBody(Telemetry.RowAt(0.5)).ToJsonString();
        _clients = [.. Enumerable.Range(0, clients).Select(_ => Task.Run(() => RunAsync(baseAddress, body)))];
    }

    public int Succeeded => Volatile.Read(ref _succeeded);

    public int Refused => Volatile.Read(ref _refused);

    public ConcurrentQueue<string> Failures { get; } = new();

    public ConcurrentQueue<string> Unanswered { get; } = new();

    /// <summary>Stops the clients after their current request and waits for them.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(Uri baseAddress, string body)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        while (!_stop.IsCancellationRequested)
        {
            HttpResponseMessage response;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "predict")
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            }
            catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                Interlocked.Increment(ref _refused);
                await Task.Delay(TimeSpan.FromMilliseconds(50));
                continue;
            }
            catch (HttpRequestException ex)
            {
                Unanswered.Enqueue(Describe(ex));
                continue;
            }
            catch (TaskCanceledException ex)
            {
                Failures.Enqueue(Describe(ex));
                continue;
            }

            // Headers arrived: the server answered, so the rest must be a whole 200 with a score.
            using (response)
            {
                try
                {
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == HttpStatusCode.OK && double.IsFinite(Rmse(text)))
                    {
                        Interlocked.Increment(ref _succeeded);
                    }
                    else
                    {
                        Failures.Enqueue($"{(int)response.StatusCode}: {text}");
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or TaskCanceledException)
                {
                    Failures.Enqueue($"response cut short: {Describe(ex)}");
                }
            }
        }
    }

    private static string Describe(Exception ex) =>
        $"{DateTime.UtcNow:HH:mm:ss.fff} {ex.GetType().Name}: {ex.Message} ({ex.InnerException?.GetType().Name}: {ex.InnerException?.Message})";

    private static double Rmse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("rmse").GetDouble();
    }
}
