using System.Globalization;

namespace AnomalyApi.Core.Telemetry;

/// <summary>
/// One scrape indexed for the feature code: CPU counters by (cpu, mode) and unlabelled gauges by name.
/// Everything else node_exporter exports is ignored.
/// </summary>
internal sealed class NodeScrape
{
    public const string CpuCounter = "node_cpu_seconds_total";

    private readonly Dictionary<(int Cpu, string Mode), double> _cpuSeconds = [];
    private readonly Dictionary<string, double> _gauges = new(StringComparer.Ordinal);

    public NodeScrape(IEnumerable<MetricSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        foreach (var sample in samples)
        {
            if (sample.Name == CpuCounter)
            {
                if (TryCpuKey(sample, out var key))
                {
                    _cpuSeconds[key] = sample.Value;
                }
            }
            else if (sample.Labels.Count == 0)
            {
                _gauges[sample.Name] = sample.Value;
            }
        }
        Cpus = [.. _cpuSeconds.Keys.Select(k => k.Cpu).Distinct().Order()];
    }

    /// <summary>The CPU numbers that have at least one mode counter, ascending.</summary>
    public IReadOnlyList<int> Cpus { get; }

    public bool TryCpuSeconds(int cpu, string mode, out double seconds) =>
        _cpuSeconds.TryGetValue((cpu, mode), out seconds);

    public bool TryGauge(string name, out double value) => _gauges.TryGetValue(name, out value);

    /// <summary>node_exporter labels CPUs with their decimal number; anything else is not a CPU we can name.</summary>
    private static bool TryCpuKey(MetricSample sample, out (int Cpu, string Mode) key)
    {
        key = default;
        if (!sample.Labels.TryGetValue("cpu", out var cpuLabel)
            || !sample.Labels.TryGetValue("mode", out var mode)
            || !int.TryParse(cpuLabel, NumberStyles.None, CultureInfo.InvariantCulture, out var cpu))
        {
            return false;
        }
        key = (cpu, mode);
        return true;
    }
}
