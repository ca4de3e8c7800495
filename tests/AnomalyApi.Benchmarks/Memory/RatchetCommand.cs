using AnomalyApi.Core.Scoring;
using Microsoft.ML.OnnxRuntime;

namespace AnomalyApi.Benchmarks.Memory;

/// <summary>
/// <c>ratchet [--variant pooled|unchunked|unchunked-noarena] [--rounds 3000] [--seed 1] [--every 100] [--max-rows 4096] [--fixed-rounds 100]</c>: scores
/// batches of random sizes (1..max-rows rows) and prints this process's RSS (after a full GC) every so many rounds.
/// <c>pooled</c> is the service's scorer (power-of-two chunks of at most 256 rows, pooled OrtValues);
/// <c>unchunked</c> runs each batch as one tensor of its exact shape with ONNX Runtime allocating the output from
/// its CPU arena, the pattern the scorer's chunking exists to avoid; <c>unchunked-noarena</c> is the same with the
/// arena off. Run each variant in its own process: RSS is per process.
/// </summary>
public static class RatchetCommand
{
    public static int Run(string[] args)
    {
        var variant = Option(args, "--variant", "pooled");
        var rounds = int.Parse(Option(args, "--rounds", "3000"), System.Globalization.CultureInfo.InvariantCulture);
        var seed = int.Parse(Option(args, "--seed", "1"), System.Globalization.CultureInfo.InvariantCulture);
        var every = int.Parse(Option(args, "--every", "100"), System.Globalization.CultureInfo.InvariantCulture);
        var maxRows = int.Parse(Option(args, "--max-rows", "4096"), System.Globalization.CultureInfo.InvariantCulture);

        using var scorer = AnomalyScorer.Load(BenchmarkModel.OnnxPath, BenchmarkModel.ConfigPath);
        var features = scorer.FeatureCount;
        var rows = BenchmarkModel.MidRangeRows(scorer.Config, maxRows);
        Func<int, double> score = variant switch
        {
            "pooled" => count => scorer.Score(rows.AsSpan(0, count * features)).Rmse[0],
            "unchunked" => Unchunked(scorer, rows, arena: true),
            "unchunked-noarena" => Unchunked(scorer, rows, arena: false),
            _ => throw new ArgumentException($"--variant: '{variant}' is not pooled, unchunked or unchunked-noarena"),
        };

        // First the largest batch over and over: the memory one shape needs, which random sizes should not exceed.
        var fixedRounds = int.Parse(Option(args, "--fixed-rounds", "100"), System.Globalization.CultureInfo.InvariantCulture);
        for (var round = 0; round < fixedRounds; round++)
        {
            score(maxRows);
        }
        var fixedRss = ProcessMemory.CurrentRssAfterGc();
        Console.WriteLine($"after {fixedRounds} batches of {maxRows} rows: rss_mb={ProcessMemory.Megabytes(fixedRss):F1}");

        var random = new Random(seed);
        var samples = new List<(int Round, long Rss)> { (0, ProcessMemory.CurrentRssAfterGc()) };
        var shapes = new HashSet<int>();
        Console.WriteLine($"variant={variant} rounds={rounds} seed={seed} max_rows={maxRows} start_rss_mb={ProcessMemory.Megabytes(samples[0].Rss):F1}");
        for (var round = 1; round <= rounds; round++)
        {
            var count = random.Next(1, maxRows + 1);
            shapes.Add(count);
            score(count);
            if (round % every == 0)
            {
                var rss = ProcessMemory.CurrentRssAfterGc();
                samples.Add((round, rss));
                Console.WriteLine($"round={round} distinct_sizes={shapes.Count} rss_mb={ProcessMemory.Megabytes(rss):F1}");
            }
        }

        // The same verdict the ratchet test draws: the late peak against the peak of the settled early rounds.
        var early = samples.Where(s => s.Round > rounds / 10 && s.Round <= rounds / 2).Max(s => s.Rss);
        var late = samples.Where(s => s.Round > rounds / 2).Max(s => s.Rss);
        Console.WriteLine($"RATCHET variant={variant} early_peak_mb={ProcessMemory.Megabytes(early):F1} " +
            $"late_peak_mb={ProcessMemory.Megabytes(late):F1} growth_mb={ProcessMemory.Megabytes(late - early):F1} " +
            $"final_mb={ProcessMemory.Megabytes(samples[^1].Rss):F1} over_fixed_mb={ProcessMemory.Megabytes(late - fixedRss):F1}");
        return 0;
    }

    /// <summary>One exact-shape run per batch: a new input OrtValue, and the output allocated by ONNX Runtime.</summary>
    private static Func<int, double> Unchunked(AnomalyScorer scorer, float[] rows, bool arena)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            EnableCpuMemArena = arena,
        };
        var session = new InferenceSession(BenchmarkModel.OnnxPath, options);
        var runOptions = new RunOptions();
        string[] inputNames = [scorer.Config.InputName];
        string[] outputNames = [scorer.Config.OutputName];
        var features = scorer.FeatureCount;
        // The session lives as long as the process: this command scores and exits.
        return count =>
        {
            var normalized = new float[count * features];
            scorer.Normalizer.Normalize(rows.AsSpan(0, count * features), normalized);
            using var input = OrtValue.CreateTensorValueFromMemory(normalized, [count, features]);
            using var outputs = session.Run(runOptions, inputNames, [input], outputNames);
            var reconstruction = outputs[0].GetTensorDataAsSpan<float>();
            return ReconstructionError.Rmse(normalized.AsSpan(0, features), reconstruction[..features]);
        };
    }

    internal static string Option(string[] args, string name, string fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }
}
