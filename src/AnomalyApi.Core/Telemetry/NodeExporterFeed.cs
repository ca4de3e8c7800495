using System.Diagnostics;

namespace AnomalyApi.Core.Telemetry;

/// <summary>
/// Turns successive scrapes of a node_exporter into feature vectors in a model's order: the one loop the
/// service's collector and the trainer's <c>record</c> verb share, so a model is trained on exactly the
/// features it will be fed. CPU fractions need two scrapes, so the first call primes the feed and yields
/// nothing. Not thread-safe: one feed per polling loop.
/// </summary>
public sealed class NodeExporterFeed
{
    private readonly HttpClient _http;
    private readonly Uri _metricsUrl;
    private readonly NodeFeatureBuilder _builder;
    private IReadOnlyList<MetricSample>? _previous;
    private long _previousTimestamp;

    /// <summary>Creates a feed over <paramref name="metricsUrl"/> (node_exporter's /metrics).</summary>
    public NodeExporterFeed(HttpClient http, Uri metricsUrl, IReadOnlyList<string> features)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _metricsUrl = metricsUrl ?? throw new ArgumentNullException(nameof(metricsUrl));
        _builder = new NodeFeatureBuilder(features);
    }

    /// <summary>The features each vector holds, in order.</summary>
    public IReadOnlyList<string> Features => _builder.Features;

    /// <summary>
    /// Scrapes once. Returns null after the first scrape (nothing to take a rate over yet), else the vector
    /// built from this scrape and the previous one.
    /// </summary>
    /// <exception cref="HttpRequestException">The exporter could not be reached or answered an error.</exception>
    /// <exception cref="PrometheusFormatException">The exporter's answer is not the text format.</exception>
    public async Task<NodeFeatureVector?> NextAsync(CancellationToken cancellationToken = default)
    {
        var current = await ScrapeAsync(cancellationToken).ConfigureAwait(false);
        var now = Stopwatch.GetTimestamp();
        var previous = _previous;
        var previousTimestamp = _previousTimestamp;
        _previous = current;
        _previousTimestamp = now;
        if (previous is null)
        {
            return null;
        }

        // node_time_seconds is read in the same scrape as the CPU counters, so it leaves out the HTTP round
        // trip; our own clock is the fallback for exporters started without the time collector.
        var interval = NodeTime.ElapsedSeconds(previous, current) is { } seconds && seconds > 0
            ? seconds
            : Stopwatch.GetElapsedTime(previousTimestamp, now).TotalSeconds;
        return new NodeFeatureVector(DateTimeOffset.UtcNow, interval, _builder.Build(previous, current, interval));
    }

    /// <summary>The CPUs the last scrape reported (empty before the first), for inferring a model's CPU count.</summary>
    public IReadOnlyList<int> CpusSeen => _previous is null ? [] : NodeFeatureBuilder.CpusIn(_previous);

    /// <summary>One scrape, parsed.</summary>
    public async Task<IReadOnlyList<MetricSample>> ScrapeAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(_metricsUrl, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return PrometheusTextParser.Parse(text);
    }
}

/// <summary>One feature vector from two scrapes.</summary>
/// <param name="At">When the second scrape finished.</param>
/// <param name="IntervalSeconds">The time the CPU fractions are taken over.</param>
/// <param name="Result">The values (NaN where missing) and what could not be built, in words.</param>
public sealed record NodeFeatureVector(DateTimeOffset At, double IntervalSeconds, NodeFeatureResult Result);
