namespace AnomalyApi.Trainer.Synthesis;

/// <summary>What an anomaly episode imposes on one CPU for one row.</summary>
/// <param name="Busy">user + system to use instead of the normal load; null to keep the normal load.</param>
/// <param name="Iowait">Fraction of the interval taken by an iowait storm, 0 when none.</param>
/// <param name="Steal">Fraction of the interval taken by the hypervisor, 0 when none.</param>
internal readonly record struct CpuDisturbance(double? Busy, double Iowait, double Steal)
{
    public static CpuDisturbance None => default;
}

/// <summary>What an anomaly episode imposes on memory for one row.</summary>
/// <param name="Leak">Leaked anonymous memory, as a fraction of MemTotal.</param>
/// <param name="CacheKeep">Fraction of the normal page cache the kernel has not yet reclaimed.</param>
internal readonly record struct MemoryDisturbance(double Leak, double CacheKeep)
{
    public static MemoryDisturbance None => new(0, 1);
}
