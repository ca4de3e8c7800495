using AnomalyApi.Core.Features;

namespace AnomalyApi.Trainer.Synthesis;

/// <summary>
/// The six memory gauges, in whole bytes. MemTotal is split into kernel, anonymous (application) memory,
/// buffers, page cache, reclaimable slab and free; MemAvailable follows the kernel's estimate
/// (free + page cache + half the reclaimable slab, less the low watermarks), and used = MemTotal - MemAvailable,
/// the definition the model card's collector uses.
/// </summary>
internal sealed class MemoryModel
{
    // Fractions of MemTotal.
    private const double Kernel = 0.03;
    private const double LowWatermark = 0.004;
    private const double MinFree = 0.03;
    private const double MinCache = 0.02;
    // A leak stops growing here, as if the OOM killer were about to step in.
    private const double MaxAnon = 0.75;
    // Memory moves slowly: a time constant of about a thousand scrapes.
    private const double Slow = 0.999;

    private static readonly int UsedIndex = FeatureIndex.Of(NodeFeatureNames.MemoryFeatures, "memory_used_bytes");
    private static readonly int BuffersIndex = FeatureIndex.Of(NodeFeatureNames.MemoryFeatures, "node_memory_Buffers_bytes");
    private static readonly int CachedIndex = FeatureIndex.Of(NodeFeatureNames.MemoryFeatures, "node_memory_Cached_bytes");
    private static readonly int AvailableIndex = FeatureIndex.Of(NodeFeatureNames.MemoryFeatures, "node_memory_MemAvailable_bytes");
    private static readonly int FreeIndex = FeatureIndex.Of(NodeFeatureNames.MemoryFeatures, "node_memory_MemFree_bytes");
    private static readonly int TotalIndex = FeatureIndex.Of(NodeFeatureNames.MemoryFeatures, "node_memory_MemTotal_bytes");

    private readonly long _total;
    private readonly Ar1Noise _anon;
    private readonly Ar1Noise _buffers;
    private readonly Ar1Noise _cache;
    private readonly Ar1Noise _slab;

    public MemoryModel(Random random, long totalBytes)
    {
        _total = totalBytes;
        _anon = new Ar1Noise(random, Slow, std: 0.02);
        _buffers = new Ar1Noise(random, Slow, std: 0.003);
        _cache = new Ar1Noise(random, Slow, std: 0.03);
        _slab = new Ar1Noise(random, Slow, std: 0.002);
    }

    /// <summary>Number of values <see cref="Next"/> writes.</summary>
    public static int Width => NodeFeatureNames.MemoryFeatures.Count;

    /// <summary>Writes the gauges for one interval in <see cref="NodeFeatureNames.MemoryFeatures"/> order.</summary>
    public void Next(Random random, double load, MemoryDisturbance disturbance, Span<double> memory)
    {
        // Applications and the page cache both grow with the day's load.
        var anonShare = Math.Clamp(0.25 + 0.10 * load + _anon.Next(random), 0.05, 0.6);
        var buffersShare = Math.Clamp(0.02 + _buffers.Next(random), 0.005, 0.05);
        var cacheShare = Math.Clamp(0.30 + 0.05 * load + _cache.Next(random), 0.05, 0.5);
        var slabShare = Math.Clamp(0.016 + _slab.Next(random), 0.008, 0.024);

        var kernel = Bytes(Kernel);
        var anon = Bytes(Math.Min(anonShare + disturbance.Leak, MaxAnon));
        var buffers = Bytes(buffersShare);
        var cached = Bytes(cacheShare * disturbance.CacheKeep);
        var slab = Bytes(slabShare);
        var free = _total - kernel - anon - buffers - cached - slab;

        // Under pressure the kernel reclaims page cache before free memory runs out.
        var minFree = Bytes(MinFree);
        if (free < minFree)
        {
            var reclaimed = Math.Min(minFree - free, cached - Bytes(MinCache));
            cached -= Math.Max(0, reclaimed);
            free = _total - kernel - anon - buffers - cached - slab;
        }

        var available = free + cached + buffers + slab / 2 - 2 * Bytes(LowWatermark);

        memory[UsedIndex] = _total - available;
        memory[BuffersIndex] = buffers;
        memory[CachedIndex] = cached;
        memory[AvailableIndex] = available;
        memory[FreeIndex] = free;
        memory[TotalIndex] = _total;
    }

    private long Bytes(double share) => (long)Math.Round(share * _total);
}
