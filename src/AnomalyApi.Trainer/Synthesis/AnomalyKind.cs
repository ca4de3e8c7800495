namespace AnomalyApi.Trainer.Synthesis;

/// <summary>The failure modes the simulator can inject.</summary>
public enum AnomalyKind
{
    /// <summary>user + system near 0.95 on at least half of the CPUs.</summary>
    CpuSaturation,

    /// <summary>iowait between 0.3 and 0.6 on every CPU.</summary>
    IowaitStorm,

    /// <summary>Anonymous memory grows steadily: MemAvailable falls, used rises, Cached is reclaimed.</summary>
    MemoryLeak,

    /// <summary>The hypervisor takes 0.2 to 0.5 of every CPU as steal time.</summary>
    StealSpike,
}
