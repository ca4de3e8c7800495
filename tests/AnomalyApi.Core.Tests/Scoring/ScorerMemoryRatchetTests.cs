using System.Globalization;
using AnomalyApi.Core.Scoring;
using Xunit.Abstractions;

namespace AnomalyApi.Core.Tests.Scoring;

/// <summary>
/// Memory must not ratchet: ONNX Runtime's CPU arena and its per-shape caches grow with every new input shape and
/// never shrink, so a scorer fed batches of every size could push RSS up for as long as it serves. The scorer runs
/// power-of-two chunks of at most 256 rows, so after a warm-up its memory should settle whatever sizes arrive.
/// (Run `dotnet run -c Release --project tests/AnomalyApi.Benchmarks -- ratchet --variant unchunked --max-rows 16384`
/// for the same loop without chunking, which keeps climbing.)
/// Category "Load": it reads this process's RSS, which parallel tests would disturb; tests/run-tests.sh runs it
/// with the other Load tests, and its collection keeps it from running beside them.
/// </summary>
[Trait("Category", "Load")]
[Collection(ScorerMemoryCollection.Name)]
public sealed class ScorerMemoryRatchetTests(ITestOutputHelper output)
{
    /// <summary>Four times the service's default Scoring:MaxBatchSize: operators may raise it, and more sizes ratchet more.</summary>
    private const int MaxRows = 16384;
    private const int Rounds = 2400;
    private const int SampleEvery = 100;
    private const int WarmRounds = 200;

    [Fact]
    public void Score_ManyRandomBatchSizes_RssSettlesAfterWarmUp()
    {
        using var scorer = AnomalyScorer.Load(ShippedModel.OnnxPath, ShippedModel.ConfigPath);
        scorer.WarmUp(); // as the service does on every load: every session, every chunk shape
        var rows = ShippedModel.RandomRows(scorer.Config, MaxRows, seed: 3);
        var features = scorer.FeatureCount;

        // One large batch shape first, for the record (the output compares random sizes with it).
        for (var i = 0; i < 20; i++)
        {
            scorer.Score(rows);
        }
        var oneShape = RssAfterFullGc();

        var random = new Random(11);
        var samples = new List<(int Round, long Rss)>();
        for (var round = 1; round <= Rounds; round++)
        {
            var count = random.Next(1, MaxRows + 1);
            Assert.True(double.IsFinite(scorer.Score(rows.AsSpan(0, count * features)).Rmse[count - 1]));
            if (round >= WarmRounds && round % SampleEvery == 0)
            {
                samples.Add((round, RssAfterFullGc()));
            }
        }
        output.WriteLine($"one {MaxRows}-row shape: {Mb(oneShape)} MB; then every {SampleEvery} random batches: " +
            string.Join(", ", samples.Select(s => $"{s.Round}: {Mb(s.Rss)}")));

        // Settled: once every chunk shape has been seen (a few hundred rounds), the peak over the second half of the
        // run is not above the warm level by more than allocator noise. Measured (ratchet benchmark, 16384-row sizes,
        // aggressive GC): this scorer +0.4 MB over 1,300 rounds; exact-shape runs with ONNX Runtime allocating
        // outputs from its arena +2.2 MB over the same rounds, still climbing, and 9 MB higher in all.
        var warm = samples.Where(s => s.Round <= 2 * WarmRounds).Max(s => s.Rss);
        var half = (WarmRounds + Rounds) / 2;
        var late = samples.Where(s => s.Round > half).Max(s => s.Rss);
        Assert.True(late - warm <= 2 * Megabyte,
            $"RSS kept growing: {Mb(warm)} MB by round {2 * WarmRounds}, peak {Mb(late)} MB in rounds {half + 1}-{Rounds}");
    }

    private const long Megabyte = 1024 * 1024;

    private static string Mb(long bytes) => (bytes / (double)Megabyte).ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>VmRSS after an aggressive full GC, which compacts and returns the GC's spare memory to the OS.</summary>
    private static long RssAfterFullGc()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().TrimEnd('B', 'k').Trim(), CultureInfo.InvariantCulture) * 1024;
    }
}

/// <summary>Runs the memory test alone: other tests' allocations in this process would show in its RSS.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScorerMemoryCollection
{
    public const string Name = "Scorer memory";
}
