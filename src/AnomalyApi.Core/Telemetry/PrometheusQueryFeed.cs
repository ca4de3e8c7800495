using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;

namespace AnomalyApi.Core.Telemetry;

/// <summary>
/// Feature vectors from an existing Prometheus: each model feature's PromQL expression (from a
/// <see cref="PrometheusMapping"/>) is evaluated through <c>/api/v1/query</c>, all at the same evaluation time, and
/// the values come back in the model's order. Expressions carry their own windows (<c>rate(...[1m])</c>), so unlike
/// <see cref="NodeExporterFeed"/> every call yields a vector. A feature whose expression gives no usable number (no
/// sample, several, an error, NaN) is missing, with the reason; Prometheus itself failing to answer throws.
/// </summary>
public sealed class PrometheusQueryFeed
{
    /// <summary>
    /// Queries in flight at once. A local Prometheus answers one of these in about a millisecond, so a few in flight
    /// already hide the round trips; more would only add load to a shared Prometheus.
    /// </summary>
    public const int MaxConcurrentQueries = 4;

    private readonly HttpClient _http;
    private readonly PrometheusMapping _mapping;
    private readonly string[] _features;
    private long _previousTimestamp;

    /// <summary>Creates a feed over the Prometheus at <paramref name="baseUrl"/> (e.g. <c>http://127.0.0.1:9090</c>).</summary>
    public PrometheusQueryFeed(HttpClient http, Uri baseUrl, PrometheusMapping mapping, IReadOnlyList<string> features)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        ArgumentNullException.ThrowIfNull(baseUrl);
        _mapping = mapping ?? throw new ArgumentNullException(nameof(mapping));
        ArgumentNullException.ThrowIfNull(features);
        _features = [.. features];
        QueryUrl = QueryUrlFor(baseUrl);
    }

    /// <summary>The features each vector holds, in order.</summary>
    public IReadOnlyList<string> Features => _features;

    /// <summary>The instant-query endpoint, <c>{baseUrl}/api/v1/query</c>.</summary>
    public Uri QueryUrl { get; }

    /// <summary><c>{baseUrl}/api/v1/query</c>, keeping any path prefix the base URL has (a Prometheus behind a proxy).</summary>
    public static Uri QueryUrlFor(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var text = baseUrl.GetLeftPart(UriPartial.Path);
        return new Uri(new Uri(text.EndsWith('/') ? text : text + "/"), "api/v1/query");
    }

    /// <summary>
    /// Evaluates every feature's expression at one evaluation time (now) and returns the vector. Its
    /// <see cref="NodeFeatureVector.At"/> is that evaluation time; <see cref="NodeFeatureVector.IntervalSeconds"/> is the
    /// time since the previous call (0 for the first).
    /// </summary>
    /// <exception cref="HttpRequestException">Prometheus could not be reached, or answered an error that is not its API's.</exception>
    /// <exception cref="PrometheusApiException">The answer is not Prometheus's HTTP API.</exception>
    public async Task<NodeFeatureVector> NextAsync(CancellationToken cancellationToken = default)
    {
        // Milliseconds: what Prometheus's time parameter keeps, so At names exactly the instant evaluated.
        var at = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var values = new float[_features.Length];
        var reasons = new string?[_features.Length];

        // The first failure to reach Prometheus cancels the rest: one answer is enough to know it is down, and
        // 38 queries each waiting out their retries would overrun the interval.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(MaxConcurrentQueries);
        ExceptionDispatchInfo? firstFailure = null;
        var tasks = new Task[_features.Length];
        for (var i = 0; i < _features.Length; i++)
        {
            var index = i;
            tasks[i] = Task.Run(async () =>
            {
                if (!_mapping.Expressions.TryGetValue(_features[index], out var expression))
                {
                    reasons[index] = $"the mapping file {_mapping.Path} has no expression for it";
                    return;
                }
                await slots.WaitAsync(failed.Token).ConfigureAwait(false);
                try
                {
                    var answer = await QueryAsync(expression, at, failed.Token).ConfigureAwait(false);
                    (values[index], reasons[index]) = ToFeature(expression, answer);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !failed.IsCancellationRequested)
                {
                    Interlocked.CompareExchange(ref firstFailure, ExceptionDispatchInfo.Capture(ex), null);
                    await failed.CancelAsync().ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                }
            }, CancellationToken.None);
        }
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (firstFailure is not null)
        {
            // Queries cancelled by the first failure; that failure is the one to report.
        }
        cancellationToken.ThrowIfCancellationRequested();
        firstFailure?.Throw();

        var missing = new List<MissingFeature>();
        for (var i = 0; i < _features.Length; i++)
        {
            if (reasons[i] is { } reason)
            {
                values[i] = float.NaN;
                missing.Add(new MissingFeature(_features[i], reason));
            }
        }
        var now = Stopwatch.GetTimestamp();
        var interval = _previousTimestamp == 0 ? 0 : Stopwatch.GetElapsedTime(_previousTimestamp, now).TotalSeconds;
        _previousTimestamp = now;
        return new NodeFeatureVector(at, interval, new NodeFeatureResult(values, missing));
    }

    /// <summary>One instant query of <paramref name="expression"/> at <paramref name="at"/>, as a form POST.</summary>
    /// <exception cref="HttpRequestException">Prometheus could not be reached, or answered an error that is not its API's.</exception>
    /// <exception cref="PrometheusApiException">The answer is not Prometheus's HTTP API.</exception>
    public async Task<PrometheusQueryAnswer> QueryAsync(string expression, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expression);
        // A form POST: expressions can be long, and Prometheus accepts query= in the body as it does in the URL.
        using var form = new FormUrlEncodedContent(
        [
            new("query", expression),
            new("time", (at.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture)),
        ]);
        using var response = await _http.PostAsync(QueryUrl, form, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Prometheus answers a bad expression with 400 and an error body: that is the expression's problem.
            return PrometheusQueryAnswer.Parse(body);
        }
        catch (PrometheusApiException) when (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{QueryUrl} answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }
    }

    private static (float Value, string? Reason) ToFeature(string expression, PrometheusQueryAnswer answer)
    {
        if (answer.Problem is { } problem)
        {
            return (float.NaN, $"`{expression}` {problem}");
        }
        var value = answer.Value!.Value;
        if (double.IsNaN(value))
        {
            return (float.NaN, $"`{expression}` is NaN");
        }
        var single = (float)value;
        return float.IsFinite(single)
            ? (single, null)
            : (float.NaN, $"`{expression}` is {value.ToString(CultureInfo.InvariantCulture)}, not a finite number");
    }
}
