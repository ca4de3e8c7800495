using AnomalyApi.Core.Features;

namespace AnomalyApi.Trainer.Synthesis;

/// <summary>
/// Generates node_exporter-like telemetry for training and evaluating the autoencoder when no real
/// capture is at hand: a daily load cycle, autocorrelated noise, per-CPU differences and, on request,
/// labelled anomaly episodes (see <see cref="AnomalyKind"/>).
/// </summary>
/// <remarks>
/// Invariants on every row, inside episodes too: each CPU's eight modes lie in [0, 1] and sum to 1;
/// memory values are whole bytes; MemTotal is constant; memory_used_bytes = MemTotal - MemAvailable exactly;
/// MemAvailable is within a few percent of MemFree + Cached + Buffers. The baseline and the episodes draw
/// from separate seeded streams, so rows outside the episodes are identical with and without
/// <see cref="SynthOptions.InjectAnomalies"/>.
/// </remarks>
public static class TelemetrySimulator
{
    /// <summary>Timestamp of row 0: 2026-01-01T00:00:00Z, a midnight, so row 0 starts the quiet half-day.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Shortest series that can carry anomalies; from this length on, between 5% and 10% of the rows are
    /// labelled (the target is 7.5%).
    /// </summary>
    public const int MinRowsForAnomalies = 400;

    // Any fixed value works; it only has to differ from zero so the two streams differ.
    private const int EpisodeStreamSalt = 0x5EED;

    /// <summary>Simulates <see cref="SynthOptions.Rows"/> scrapes; the same options give the same result.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count, the interval or MemTotal is out of range.</exception>
    public static SyntheticTelemetry Generate(SynthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Cpus, 1, nameof(options.Cpus));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Rows, 1, nameof(options.Rows));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.IntervalSeconds, 1, nameof(options.IntervalSeconds));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MemTotalBytes, 1L << 30, nameof(options.MemTotalBytes));
        if (options.InjectAnomalies && options.Rows < MinRowsForAnomalies)
        {
            throw new ArgumentOutOfRangeException(nameof(options.Rows), options.Rows,
                $"Injecting anomalies needs at least {MinRowsForAnomalies} rows, so that 5-10% of them can be labelled in episodes of {EpisodePlanner.MinLength}-{EpisodePlanner.MaxLength} rows.");
        }

        var baseline = new Random(options.Seed);
        var episodeStream = new Random(options.Seed ^ EpisodeStreamSalt);

        var episodes = options.InjectAnomalies ? EpisodePlanner.Plan(options.Rows, episodeStream) : [];
        var effects = new EpisodeEffect?[options.Rows];
        foreach (var episode in episodes)
        {
            var effect = EpisodeEffect.Create(episode, options.Cpus, episodeStream);
            Array.Fill(effects, effect, episode.StartRow, episode.Length);
        }

        var cpus = Enumerable.Range(0, options.Cpus).Select(_ => new CpuModel(baseline)).ToArray();
        var memory = new MemoryModel(baseline, options.MemTotalBytes);
        var sharedBusy = new Ar1Noise(baseline, phi: 0.95, std: 0.04);

        var width = options.Cpus * CpuModel.Width + MemoryModel.Width;
        var timestamps = new long[options.Rows];
        var rows = new double[options.Rows][];
        for (var r = 0; r < options.Rows; r++)
        {
            timestamps[r] = Epoch.ToUnixTimeSeconds() + (long)r * options.IntervalSeconds;
            var load = DailyCycle.Load(timestamps[r]);
            var shared = sharedBusy.Next(baseline);
            var effect = effects[r];

            var row = rows[r] = new double[width];
            for (var c = 0; c < cpus.Length; c++)
            {
                var disturbance = effect?.Cpu(c, episodeStream) ?? CpuDisturbance.None;
                cpus[c].Next(baseline, load, shared, disturbance, row.AsSpan(c * CpuModel.Width, CpuModel.Width));
            }
            memory.Next(baseline, load, effect?.Memory(r) ?? MemoryDisturbance.None, row.AsSpan(width - MemoryModel.Width));
        }

        return new SyntheticTelemetry
        {
            Columns = NodeFeatureNames.For(options.Cpus),
            Timestamps = timestamps,
            Rows = rows,
            Labels = options.InjectAnomalies ? Labels(options.Rows, episodes) : null,
            Episodes = episodes,
        };
    }

    private static int[] Labels(int rows, IReadOnlyList<AnomalyEpisode> episodes)
    {
        var labels = new int[rows];
        foreach (var episode in episodes)
        {
            Array.Fill(labels, 1, episode.StartRow, episode.Length);
        }
        return labels;
    }
}
