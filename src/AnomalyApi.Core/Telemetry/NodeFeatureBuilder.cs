using static AnomalyApi.Core.Telemetry.NodeFeatureSource;

namespace AnomalyApi.Core.Telemetry;

/// <summary>
/// Turns two successive node_exporter scrapes into a model's feature vector. The service's collector and
/// the trainer's <c>record</c> verb both use this class, so a model is trained on exactly the features it
/// is later fed.
/// </summary>
/// <remarks>
/// <c>cpu_N_mode</c> is the increase of <c>node_cpu_seconds_total{cpu="N",mode="mode"}</c> over the
/// interval divided by the interval in seconds, so a CPU's modes sum to about 1. A counter that went down
/// (a reboot) counts its new value as the increase, as Prometheus' <c>rate()</c> does.
/// <c>node_memory_*_bytes</c> are the current scrape's gauges as they are, and <c>memory_used_bytes</c>
/// is MemTotal minus MemAvailable.
/// </remarks>
public sealed class NodeFeatureBuilder
{
    private readonly NodeFeatureSource[] _sources;

    /// <summary>Creates a builder for the model features <paramref name="features"/>, in that order.</summary>
    public NodeFeatureBuilder(IReadOnlyList<string> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        Features = features;
        _sources = [.. features.Select(For)];
    }

    /// <summary>The model's feature names, in the order of the vectors this builder returns.</summary>
    public IReadOnlyList<string> Features { get; }

    /// <summary>
    /// Builds the vector from <paramref name="previous"/> and <paramref name="current"/>, taken
    /// <paramref name="intervalSeconds"/> apart. Prefer the elapsed wall time actually measured between
    /// the scrapes (or <see cref="NodeTime.ElapsedSeconds"/>) over the nominal schedule. A model that
    /// wants series this machine does not export gets them listed in the result rather than an exception.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="intervalSeconds"/> is not a positive finite number.</exception>
    public NodeFeatureResult Build(
        IEnumerable<MetricSample> previous, IEnumerable<MetricSample> current, double intervalSeconds)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        if (!double.IsFinite(intervalSeconds) || intervalSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(intervalSeconds), intervalSeconds, "The interval between scrapes must be a positive number of seconds.");
        }

        var before = new NodeScrape(previous);
        var after = new NodeScrape(current);
        var values = new float[_sources.Length];
        var missing = new List<MissingFeature>();
        for (var i = 0; i < _sources.Length; i++)
        {
            var (value, reason) = _sources[i] switch
            {
                CpuMode cpu => CpuFraction(cpu, before, after, intervalSeconds),
                Gauge gauge => ReadGauge(gauge.Feature, after),
                UsedMemory => UsedBytes(after),
                _ => (double.NaN,
                    $"not a node feature (expected cpu_N_mode, {MemoryUsed} or node_memory_*_bytes)"),
            };
            values[i] = (float)value;
            if (reason is not null)
            {
                missing.Add(new MissingFeature(_sources[i].Feature, reason));
            }
        }
        return new NodeFeatureResult(values, missing);
    }

    /// <summary>
    /// The CPU numbers <paramref name="samples"/> has <c>node_cpu_seconds_total</c> for, ascending, so
    /// <c>record</c> can infer how many CPUs the model should have.
    /// </summary>
    public static IReadOnlyList<int> CpusIn(IEnumerable<MetricSample> samples) => new NodeScrape(samples).Cpus;

    private static (double Value, string? Reason) CpuFraction(
        CpuMode source, NodeScrape before, NodeScrape after, double intervalSeconds)
    {
        if (!after.TryCpuSeconds(source.Cpu, source.Mode, out var now))
        {
            return (double.NaN, $"{source.Series} is not exported ({DescribeCpus(after.Cpus)})");
        }
        if (!before.TryCpuSeconds(source.Cpu, source.Mode, out var then))
        {
            return (double.NaN, $"{source.Series} is not in the previous scrape");
        }
        // A counter only falls when it restarted from zero, so all of its new value accrued since.
        var increase = now >= then ? now - then : now;
        return (increase / intervalSeconds, null);
    }

    private static (double Value, string? Reason) ReadGauge(string name, NodeScrape scrape) =>
        scrape.TryGauge(name, out var value) ? (value, null) : (double.NaN, $"{name} is not exported");

    private static (double Value, string? Reason) UsedBytes(NodeScrape scrape)
    {
        var absent = new[] { MemTotal, MemAvailable }.Where(name => !scrape.TryGauge(name, out _)).ToArray();
        if (absent.Length > 0)
        {
            return (double.NaN, $"needs {MemTotal} and {MemAvailable}, but {string.Join(" and ", absent)} {(absent.Length == 1 ? "is" : "are")} not exported");
        }
        scrape.TryGauge(MemTotal, out var total);
        scrape.TryGauge(MemAvailable, out var available);
        return (total - available, null);
    }

    /// <summary>"this machine has CPUs 0-1", or the list when the numbers are not contiguous.</summary>
    private static string DescribeCpus(IReadOnlyList<int> cpus)
    {
        if (cpus.Count == 0)
        {
            return $"the scrape has no {NodeScrape.CpuCounter} at all; is node_exporter's cpu collector enabled?";
        }
        if (cpus.Count == 1)
        {
            return $"this machine has only CPU {cpus[0]}";
        }
        var contiguous = cpus[^1] - cpus[0] == cpus.Count - 1;
        return contiguous
            ? $"this machine has CPUs {cpus[0]}-{cpus[^1]}"
            : $"this machine has CPUs {string.Join(", ", cpus)}";
    }
}
