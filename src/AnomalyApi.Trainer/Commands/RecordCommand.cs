using System.CommandLine;
using AnomalyApi.Core.Features;
using AnomalyApi.Core.Telemetry;
using AnomalyApi.Trainer.Recording;

namespace AnomalyApi.Trainer.Commands;

/// <summary><c>record</c>: this machine's telemetry from node_exporter, as training rows built by the collector's own feature code.</summary>
public static class RecordCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var url = new Option<Uri>("--node-exporter")
        {
            Description = "node_exporter's metrics URL",
            HelpName = "url",
            DefaultValueFactory = _ => new Uri("http://127.0.0.1:9100/metrics"),
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps))
                {
                    return parsed;
                }
                result.AddError($"--node-exporter: '{text}' is not an http(s) URL such as http://127.0.0.1:9100/metrics");
                return null;
            },
        };
        var interval = DurationOption("--interval", "Time between rows (e.g. 15s, 500ms, 1m)", "15s");
        var duration = DurationOption("--duration", "How long to record (e.g. 2h, 1h30m, 10m)", "2h");
        var output = new Option<FileInfo>("--out") { Description = "CSV file to write (timestamp,<features...>)", Required = true };
        var cpus = new Option<int?>("--cpus") { Description = "CPUs in the model's features (default: the CPUs the first scrape reports)" };

        var command = new Command("record", "Record this machine's node telemetry from node_exporter as training CSV")
        {
            url, interval, duration, output, cpus,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetRequiredValue(url),
            parse.GetValue(interval),
            parse.GetValue(duration),
            parse.GetRequiredValue(output).FullName,
            parse.GetValue(cpus),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    private static Option<TimeSpan> DurationOption(string name, string description, string defaultText) => new(name)
    {
        Description = description,
        HelpName = "duration",
        DefaultValueFactory = _ => Parse(defaultText),
        CustomParser = result =>
        {
            if (DurationParser.TryParse(result.Tokens.Single().Value, out var value, out var error))
            {
                return value;
            }
            result.AddError($"{name}: {error}");
            return default;
        },
    };

    private static TimeSpan Parse(string text) =>
        DurationParser.TryParse(text, out var value, out _) ? value : throw new ArgumentException(text);

    private static async Task<int> RunAsync(
        Uri url, TimeSpan interval, TimeSpan duration, string path, int? cpus,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // A scrape should not outlive the next tick by much, but a loopback exporter on a busy machine may be slow.
        if (duration < interval || cpus is < 1)
        {
            error.WriteLine(cpus is < 1 ? "record: --cpus must be at least 1" : $"record: --duration ({duration}) must be at least --interval ({interval})");
            return ExitCodes.UsageError;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(Math.Clamp(interval.TotalSeconds, 2, 10)) };
        try
        {
            var machineCpus = await ProbeCpusAsync(http, url, interval, error, cancellationToken);
            if (machineCpus == 0)
            {
                error.WriteLine($"record: {url} reports no node_cpu_seconds_total series: is node_exporter's cpu collector enabled?");
                return ExitCodes.DataError;
            }
            if (cpus is { } requested && requested > machineCpus)
            {
                error.WriteLine($"record: --cpus {requested} but {url} reports {machineCpus} CPU(s): cpu_{machineCpus}_* … cpu_{requested - 1}_* could never be recorded");
                return ExitCodes.DataError;
            }
            if (cpus is null)
            {
                output.WriteLine($"record: {url} reports {machineCpus} CPU(s); recording features for --cpus {machineCpus}");
            }

            var features = NodeFeatureNames.For(cpus ?? machineCpus);
            var rows = (int)Math.Min(int.MaxValue, duration.Ticks / interval.Ticks);
            output.WriteLine($"record: {rows} rows of {features.Count} features, one every {interval}, to {path} (Ctrl+C stops and keeps what is written)");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            RecordingOutcome outcome;
            try
            {
                await using var writer = new StreamWriter(path);
                var recorder = new TelemetryRecorder(new NodeExporterFeed(http, url, features), url, interval, writer, output, error);
                outcome = await recorder.RunAsync(rows, cancellationToken);
            }
            catch (RecordingException)
            {
                File.Delete(path); // header only: nothing worth keeping
                throw;
            }
            output.WriteLine(
                $"record: {(outcome.Cancelled ? "stopped" : "done")}: wrote {outcome.RowsWritten}/{outcome.RowsPlanned} rows to {path}" +
                (outcome.RowsSkipped > 0 ? $" ({outcome.RowsSkipped} skipped)" : ""));
            return ExitCodes.Success;
        }
        catch (RecordingException ex)
        {
            error.WriteLine($"record: {ex.Message}");
            return ExitCodes.DataError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.WriteLine("record: stopped before the first row; no file written");
            return ExitCodes.Success;
        }
    }

    /// <summary>The machine's CPU count from one scrape, retried at the interval a few times (the exporter may still be starting).</summary>
    private static async Task<int> ProbeCpusAsync(HttpClient http, Uri url, TimeSpan interval, TextWriter error, CancellationToken cancellationToken)
    {
        var probe = new NodeExporterFeed(http, url, []);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return NodeFeatureBuilder.CpusIn(await probe.ScrapeAsync(cancellationToken)).Count;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or PrometheusFormatException or TaskCanceledException)
            {
                if (attempt >= TelemetryRecorder.StartupAttempts)
                {
                    throw new RecordingException($"could not scrape {url} in {attempt} attempts: {ex.Message}", ex);
                }
                error.WriteLine($"record: scrape of {url} failed ({ex.Message}); retrying in {interval}");
                await Task.Delay(interval, cancellationToken);
            }
        }
    }
}
