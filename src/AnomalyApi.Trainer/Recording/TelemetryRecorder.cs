using System.Globalization;
using AnomalyApi.Core.Telemetry;

namespace AnomalyApi.Trainer.Recording;

/// <summary>What a recording wrote.</summary>
/// <param name="RowsWritten">Rows in the CSV.</param>
/// <param name="RowsPlanned">Rows the duration allowed for.</param>
/// <param name="RowsSkipped">Intervals skipped because a scrape failed or a feature was missing.</param>
/// <param name="Cancelled">Whether the recording was stopped (Ctrl+C) before the duration ran out.</param>
public sealed record RecordingOutcome(int RowsWritten, int RowsPlanned, int RowsSkipped, bool Cancelled);

/// <summary>
/// Polls a <see cref="NodeExporterFeed"/> (the collector's own feature code) once per interval and writes one
/// CSV row per complete vector, in the layout <c>train</c> reads: <c>timestamp,&lt;features...&gt;</c>.
/// </summary>
public sealed class TelemetryRecorder
{
    /// <summary>Intervals at the start in which at least one row must be written before the recording gives up.</summary>
    public const int StartupAttempts = 4;

    private readonly NodeExporterFeed _feed;
    private readonly Uri _metricsUrl;
    private readonly TimeSpan _interval;
    private readonly TextWriter _csv;
    private readonly TextWriter _output;
    private readonly TextWriter _error;

    /// <summary>Creates a recorder; <paramref name="output"/> gets progress, <paramref name="error"/> warnings.</summary>
    public TelemetryRecorder(NodeExporterFeed feed, Uri metricsUrl, TimeSpan interval, TextWriter csv, TextWriter output, TextWriter error)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _feed = feed;
        _metricsUrl = metricsUrl;
        _interval = interval;
        _csv = csv;
        _output = output;
        _error = error;
    }

    /// <summary>
    /// Writes the header, primes the feed, then tries one row per interval for <paramref name="rows"/> intervals.
    /// Each row is flushed, so a recording stopped with Ctrl+C keeps what it has.
    /// </summary>
    /// <exception cref="RecordingException">No row could be written in the first <see cref="StartupAttempts"/> intervals.</exception>
    public async Task<RecordingOutcome> RunAsync(int rows, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        await _csv.WriteLineAsync("timestamp," + string.Join(',', _feed.Features)).ConfigureAwait(false);
        await _csv.FlushAsync(CancellationToken.None).ConfigureAwait(false);

        var written = 0;
        var skipped = 0;
        var progressEvery = Math.Max(1, rows / 10);
        string? lastProblem = null;
        using var timer = new PeriodicTimer(_interval);
        try
        {
            // The priming scrape: CPU fractions need a previous scrape to take a rate over.
            lastProblem = await TryNextAsync(cancellationToken).ConfigureAwait(false) is { Problem: { } primeProblem } ? primeProblem : null;
            for (var tick = 1; tick <= rows; tick++)
            {
                if (!await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
                var (vector, problem) = await TryNextAsync(cancellationToken).ConfigureAwait(false);
                if (vector is { Result.IsComplete: true })
                {
                    await WriteRowAsync(vector, cancellationToken).ConfigureAwait(false);
                    written++;
                    if (written % progressEvery == 0 || written == rows)
                    {
                        _output.WriteLine($"record: {written}/{rows} rows");
                    }
                    continue;
                }
                if (vector is not null)
                {
                    problem = "missing " + string.Join("; ", vector.Result.Missing);
                }
                if (problem is null)
                {
                    continue; // the feed re-primed after a failed scrape: nothing to take a rate over yet
                }
                skipped++;
                lastProblem = problem;
                _error.WriteLine($"record: skipped the row at {DateTimeOffset.UtcNow:O}: {problem}");
                if (written == 0 && tick >= StartupAttempts)
                {
                    throw new RecordingException($"no usable scrape of {_metricsUrl} in the first {tick} intervals: {lastProblem}");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new RecordingOutcome(written, rows, skipped, Cancelled: true);
        }
        return new RecordingOutcome(written, rows, skipped, Cancelled: false);
    }

    private async Task<(NodeFeatureVector? Vector, string? Problem)> TryNextAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await _feed.NextAsync(cancellationToken).ConfigureAwait(false), null);
        }
        // The exporter may blip (restart, slow answer): retried at the next tick.
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or PrometheusFormatException or TaskCanceledException)
        {
            return (null, $"scrape of {_metricsUrl} failed: {ex.Message}");
        }
    }

    private async Task WriteRowAsync(NodeFeatureVector vector, CancellationToken cancellationToken)
    {
        var line = new System.Text.StringBuilder(vector.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        foreach (var value in vector.Result.Values)
        {
            line.Append(',').Append(value.ToString("R", CultureInfo.InvariantCulture));
        }
        await _csv.WriteLineAsync(line.ToString()).ConfigureAwait(false);
        await _csv.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
