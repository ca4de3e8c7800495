namespace AnomalyApi.Core.Features;

/// <summary>
/// The node telemetry feature names the model card defines: for each CPU the eight modes node_exporter
/// reports, as fractions of the interval, then six memory gauges in bytes. The collector, the trainer's
/// <c>synth</c> and <c>record</c> verbs, and the default model all use these names in this order.
/// </summary>
public static class NodeFeatureNames
{
    /// <summary>node_exporter's CPU modes, alphabetical, as the model card orders them.</summary>
    public static readonly IReadOnlyList<string> CpuModes =
        ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"];

    /// <summary>The memory features, in bytes, after the CPU block.</summary>
    public static readonly IReadOnlyList<string> MemoryFeatures =
    [
        "memory_used_bytes",
        "node_memory_Buffers_bytes",
        "node_memory_Cached_bytes",
        "node_memory_MemAvailable_bytes",
        "node_memory_MemFree_bytes",
        "node_memory_MemTotal_bytes",
    ];

    /// <summary>The 38 features of the default model (4 CPUs).</summary>
    public static readonly IReadOnlyList<string> Default = For(cpus: 4);

    /// <summary>The feature names for a machine with <paramref name="cpus"/> CPUs.</summary>
    public static IReadOnlyList<string> For(int cpus)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cpus, 1);
        var names = new List<string>(cpus * CpuModes.Count + MemoryFeatures.Count);
        for (var cpu = 0; cpu < cpus; cpu++)
        {
            foreach (var mode in CpuModes)
            {
                names.Add(CpuFeature(cpu, mode));
            }
        }
        names.AddRange(MemoryFeatures);
        return names.AsReadOnly();
    }

    /// <summary>The name of one CPU mode feature, e.g. <c>cpu_0_idle</c>.</summary>
    public static string CpuFeature(int cpu, string mode) => $"cpu_{cpu}_{mode}";
}
