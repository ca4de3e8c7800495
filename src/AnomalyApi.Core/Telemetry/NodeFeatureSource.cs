using System.Globalization;

namespace AnomalyApi.Core.Telemetry;

/// <summary>
/// Where one model feature comes from, decided once from its name (see
/// <see cref="Features.NodeFeatureNames"/>): a CPU mode counter, a memory gauge, used memory, or nothing known.
/// </summary>
internal abstract record NodeFeatureSource(string Feature)
{
    public const string MemoryUsed = "memory_used_bytes";
    public const string MemTotal = "node_memory_MemTotal_bytes";
    public const string MemAvailable = "node_memory_MemAvailable_bytes";

    public static NodeFeatureSource For(string feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (feature == MemoryUsed)
        {
            return new UsedMemory(feature);
        }
        if (feature.StartsWith("node_memory_", StringComparison.Ordinal)
            && feature.EndsWith("_bytes", StringComparison.Ordinal))
        {
            return new Gauge(feature);
        }
        if (TryParseCpuFeature(feature, out var cpu, out var mode))
        {
            return new CpuMode(feature, cpu, mode);
        }
        return new Unknown(feature);
    }

    /// <summary><c>cpu_N_mode</c>, N a decimal CPU number and mode node_exporter's mode label.</summary>
    private static bool TryParseCpuFeature(string feature, out int cpu, out string mode)
    {
        cpu = 0;
        mode = "";
        if (!feature.StartsWith("cpu_", StringComparison.Ordinal))
        {
            return false;
        }
        var rest = feature.AsSpan(4);
        var underscore = rest.IndexOf('_');
        if (underscore <= 0 || underscore == rest.Length - 1
            || !int.TryParse(rest[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out cpu))
        {
            return false;
        }
        mode = rest[(underscore + 1)..].ToString();
        return true;
    }

    public sealed record CpuMode(string Feature, int Cpu, string Mode) : NodeFeatureSource(Feature)
    {
        public string Series => $"{NodeScrape.CpuCounter}{{cpu=\"{Cpu}\",mode=\"{Mode}\"}}";
    }

    public sealed record Gauge(string Feature) : NodeFeatureSource(Feature);

    public sealed record UsedMemory(string Feature) : NodeFeatureSource(Feature);

    public sealed record Unknown(string Feature) : NodeFeatureSource(Feature);
}
