using AnomalyApi.Core.Scoring;
using BenchmarkDotNet.Attributes;

namespace AnomalyApi.Benchmarks;

/// <summary>The pooled scorer on batches of the sizes the service sees.</summary>
[MemoryDiagnoser]
public class ScorerBenchmarks
{
    private AnomalyScorer _scorer = null!;
    private float[] _rows = null!;

    [Params(1, 16, 256, 4096)]
    public int Rows { get; set; }

    // The service runs 1 (ScorerOptions.IntraOpThreads): whether a second thread inside a run pays for large batches.
    [Params(1, 2)]
    public int IntraOpThreads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scorer = AnomalyScorer.Load(BenchmarkModel.OnnxPath, BenchmarkModel.ConfigPath, new ScorerOptions { IntraOpThreads = IntraOpThreads });
        _rows = BenchmarkModel.MidRangeRows(_scorer.Config, Rows);
    }

    [GlobalCleanup]
    public void Cleanup() => _scorer.Dispose();

    [Benchmark]
    public double Score() => _scorer.Score(_rows).Rmse[0];
}
