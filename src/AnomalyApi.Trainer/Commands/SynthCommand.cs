using System.CommandLine;
using AnomalyApi.Trainer.Synthesis;

namespace AnomalyApi.Trainer.Commands;

/// <summary><c>synth</c>: simulated node telemetry in the service's feature names and units.</summary>
public static class SynthCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var cpus = new Option<int>("--cpus") { Description = "CPUs of the simulated machine (features cpu_0_* … cpu_{N-1}_*)", DefaultValueFactory = _ => 4 };
        var rows = new Option<int>("--rows") { Description = "Rows to generate, one per interval", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same file", DefaultValueFactory = _ => 1 };
        var interval = new Option<int>("--interval-seconds") { Description = "Seconds between rows", DefaultValueFactory = _ => 15 };
        var anomalies = new Option<bool>("--anomalies") { Description = "Inject labelled anomaly episodes (adds a 'label' column)" };
        var output = new Option<FileInfo>("--out") { Description = "CSV file to write", Required = true };

        var command = new Command("synth", "Simulate node telemetry (CPU mode fractions, memory bytes) as CSV")
        {
            cpus, rows, seed, interval, anomalies, output,
        };
        command.SetAction(parse =>
        {
            var options = new SynthOptions(
                Cpus: parse.GetValue(cpus),
                Rows: parse.GetValue(rows),
                Seed: parse.GetValue(seed),
                IntervalSeconds: parse.GetValue(interval),
                InjectAnomalies: parse.GetValue(anomalies));
            var path = parse.GetRequiredValue(output).FullName;
            try
            {
                var telemetry = TelemetrySimulator.Generate(options);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using (var writer = new StreamWriter(path))
                {
                    SyntheticTelemetryCsv.Write(writer, telemetry);
                }
                var labelled = telemetry.Labels?.Count(l => l == 1) ?? 0;
                parse.InvocationConfiguration.Output.WriteLine(
                    $"wrote {telemetry.Rows.Length} rows x {telemetry.Columns.Count} features to {path}" +
                    (options.InjectAnomalies ? $" ({labelled} anomalous rows in {telemetry.Episodes.Count} episodes)" : ""));
                return ExitCodes.Success;
            }
            catch (ArgumentException ex)
            {
                parse.InvocationConfiguration.Error.WriteLine($"synth: {ex.Message}");
                return ExitCodes.UsageError;
            }
        });
        return command;
    }
}
