namespace AnomalyApi.Trainer.Synthesis;

/// <summary>What the <c>synth</c> verb asks <see cref="TelemetrySimulator"/> to generate.</summary>
/// <param name="Cpus">Number of CPUs; the feature columns are <c>NodeFeatureNames.For(Cpus)</c>.</param>
/// <param name="Rows">Number of intervals (rows) to simulate.</param>
/// <param name="Seed">Seed for <see cref="Random"/>: the same options always give the same series.</param>
/// <param name="IntervalSeconds">Scrape interval between rows, in seconds.</param>
/// <param name="InjectAnomalies">
/// Whether to inject labelled anomaly episodes; needs at least
/// <see cref="TelemetrySimulator.MinRowsForAnomalies"/> rows.
/// </param>
/// <param name="MemTotalBytes">The node's MemTotal, in bytes.</param>
public sealed record SynthOptions(
    int Cpus,
    int Rows,
    int Seed,
    int IntervalSeconds = 15,
    bool InjectAnomalies = false,
    long MemTotalBytes = 16L * 1024 * 1024 * 1024);
