using System.Net.Http.Json;

namespace AnomalyApi.EndToEnd.Tests.Infrastructure;

/// <summary>One vector as GET /collector/recent shows it (the client's view, not the service's types).</summary>
public sealed record CollectedVector(
    DateTimeOffset At,
    double Rmse,
    bool IsAnomaly,
    double Threshold,
    IReadOnlyList<CollectedTopFeature> TopFeatures,
    IReadOnlyDictionary<string, float> Features);

public sealed record CollectedTopFeature(string Name, double Error);

public sealed record CollectorRecent(bool Enabled, string? Problem, IReadOnlyList<CollectedVector> Results);

/// <summary>
/// Follows what the service's background collector scores, through GET /collector/recent only: a loop reads it
/// twice an interval and keeps every vector it has not seen, so the service needs to keep only a few (a small,
/// cheap response: the polling must not itself load the machine being measured). Waits are bounded: a collector
/// that stops producing vectors fails the test with its problem in words, never hangs it.
/// </summary>
public sealed class CollectorClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly Lock _lock = new();
    private readonly SortedDictionary<DateTimeOffset, CollectedVector> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private string? _problem;

    public CollectorClient(HttpClient http, TimeSpan interval)
    {
        _http = http;
        Interval = interval;
        _loop = Task.Run(() => FollowAsync(_stop.Token));
    }

    public TimeSpan Interval { get; }

    /// <summary>
    /// The first <paramref name="count"/> vectors completed after <paramref name="after"/>, oldest first, once the
    /// collector has produced them; fails when it has not within twice the time they should take plus 10 s.
    /// </summary>
    public async Task<IReadOnlyList<CollectedVector>> VectorsAfterAsync(DateTimeOffset after, int count)
    {
        var now = DateTimeOffset.UtcNow;
        var deadline = (after > now ? after : now) + 2 * count * Interval + TimeSpan.FromSeconds(10);
        while (true)
        {
            CollectedVector[] vectors;
            string? problem;
            lock (_lock)
            {
                vectors = [.. _seen.Values.Where(v => v.At > after).Take(count)];
                problem = _problem;
            }
            if (vectors.Length >= count)
            {
                return vectors;
            }
            Assert.True(DateTimeOffset.UtcNow < deadline,
                $"the collector produced {vectors.Length} of {count} vectors after {after:O} in time; problem: {problem ?? "none"}");
            await Task.Delay(Interval / 4);
        }
    }

    private async Task FollowAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var recent = (await _http.GetFromJsonAsync<CollectorRecent>("/collector/recent", stop))!;
                lock (_lock)
                {
                    foreach (var vector in recent.Results)
                    {
                        _seen.TryAdd(vector.At, vector);
                    }
                    _problem = recent.Problem;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                lock (_lock)
                {
                    _problem = $"GET /collector/recent failed: {ex.Message}";
                }
            }
            try
            {
                await Task.Delay(Interval / 2, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
