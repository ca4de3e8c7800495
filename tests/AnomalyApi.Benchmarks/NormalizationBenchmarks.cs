using AnomalyApi.Core.Configuration;
using AnomalyApi.Core.Normalization;
using BenchmarkDotNet.Attributes;

namespace AnomalyApi.Benchmarks;

/// <summary>Min-max normalisation of raw rows into a reused buffer (the scorer's first step).</summary>
[MemoryDiagnoser]
public class NormalizationBenchmarks
{
    private MinMaxNormalizer _normalizer = null!;
    private float[] _rows = null!;
    private float[] _destination = null!;

    [Params(1, 256)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var config = ModelConfigReader.Read(BenchmarkModel.ConfigPath);
        _normalizer = new MinMaxNormalizer(config.Normalization);
        _rows = BenchmarkModel.MidRangeRows(config, Rows);
        _destination = new float[_rows.Length];
    }

    [Benchmark]
    public float Normalize()
    {
        _normalizer.Normalize(_rows, _destination);
        return _destination[^1];
    }
}
