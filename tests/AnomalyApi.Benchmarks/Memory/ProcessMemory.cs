namespace AnomalyApi.Benchmarks.Memory;

/// <summary>A process's resident memory from /proc/PID/status (Linux): VmRSS now and VmHWM, its peak.</summary>
public static class ProcessMemory
{
    /// <summary>VmRSS and VmHWM in bytes, or null when the process is gone or /proc is not there.</summary>
    public static (long Rss, long Peak)? Read(int pid)
    {
        try
        {
            long? rss = null, peak = null;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kilobytes(line);
                }
            }
            return rss is { } r && peak is { } p ? (r, p) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// This process's VmRSS in bytes, after an aggressive full GC (which compacts and decommits all it can), so that
    /// dead managed objects and the GC's spare regions do not hide or mimic native growth.
    /// </summary>
    public static long CurrentRssAfterGc()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return Read(Environment.ProcessId)?.Rss ?? throw new PlatformNotSupportedException("/proc/self/status has no VmRSS");
    }

    public static double Megabytes(long bytes) => bytes / (1024.0 * 1024.0);

    // "VmRSS:	  123456 kB"
    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
}
