using AnomalyApi.Core.Normalization;
using AnomalyApi.Core.Scoring;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace AnomalyApi.Benchmarks;

/// <summary>
/// Why the scorer pools: the same work (normalise, run, RMSE) with pooled pinned buffers and OrtValues
/// (<see cref="AnomalyScorer"/>) against creating the input OrtValue and letting ONNX Runtime allocate the
/// output on every call, over an identically configured session. RunPreallocatedOutput and RunArenaOutput time the
/// ONNX run alone (bound input, output preallocated or from ONNX Runtime's arena): they measured alike, which is how
/// the old 256-row gap between Pooled and PinnedInputOnly was traced to where the scorer allocated its result, not to
/// the output buffer.
/// </summary>
[MemoryDiagnoser]
public class PoolingBenchmarks
{
    private AnomalyScorer _pooled = null!;
    private InferenceSession _session = null!;
    private MinMaxNormalizer _normalizer = null!;
    private RunOptions _runOptions = null!;
    private float[] _rows = null!;

    [Params(1, 16, 64, 256)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pooled = AnomalyScorer.Load(BenchmarkModel.OnnxPath, BenchmarkModel.ConfigPath);
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(BenchmarkModel.OnnxPath, options);
        _normalizer = _pooled.Normalizer;
        _runOptions = new RunOptions();
        _rows = BenchmarkModel.MidRangeRows(_pooled.Config, Rows);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pooled.Dispose();
        _session.Dispose();
        _runOptions.Dispose();
    }

    [Benchmark(Baseline = true)]
    public double Pooled() => _pooled.Score(_rows).Rmse[0];

    private float[] _pinnedInput = null!;
    private OrtValue _pinnedInputValue = null!;

    [GlobalSetup(Target = nameof(PinnedInputOnly))]
    public void SetupPinned()
    {
        Setup();
        _pinnedInput = GC.AllocateArray<float>(_rows.Length, pinned: true);
        _pinnedInputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _pinnedInput.AsMemory(), [Rows, _normalizer.FeatureCount]);
    }

    /// <summary>Experiment: a reused pinned input, but the output allocated by ONNX Runtime per call.</summary>
    [Benchmark]
    public double PinnedInputOnly()
    {
        var features = _normalizer.FeatureCount;
        _normalizer.Normalize(_rows, _pinnedInput);
        var normalized = _pinnedInput.ToArray();
        using var outputs = _session.Run(_runOptions, ["x"], [_pinnedInputValue], ["reconstruction"]);
        var reconstruction = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        return Labels(normalized, reconstruction);
    }

    private float[] _runOutput = null!;
    private OrtValue _runOutputValue = null!;
    private OrtIoBinding _preallocatedBinding = null!;
    private OrtIoBinding _arenaBinding = null!;

    [GlobalSetup(Targets = [nameof(RunPreallocatedOutput), nameof(RunArenaOutput)])]
    public void SetupRunOnly()
    {
        SetupPinned();
        _normalizer.Normalize(_rows, _pinnedInput);
        _runOutput = GC.AllocateArray<float>(_rows.Length, pinned: true);
        _runOutputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _runOutput.AsMemory(), [Rows, _normalizer.FeatureCount]);
        _preallocatedBinding = _session.CreateIoBinding();
        _preallocatedBinding.BindInput("x", _pinnedInputValue);
        _preallocatedBinding.BindOutput("reconstruction", _runOutputValue);
        _arenaBinding = _session.CreateIoBinding();
        _arenaBinding.BindInput("x", _pinnedInputValue);
        _arenaBinding.BindOutputToDevice("reconstruction", OrtMemoryInfo.DefaultInstance);
    }

    /// <summary>The ONNX run alone, into a bound preallocated output (what the scorer does).</summary>
    [Benchmark]
    public float RunPreallocatedOutput()
    {
        _session.RunWithBinding(_runOptions, _preallocatedBinding);
        return _runOutput[0];
    }

    /// <summary>The ONNX run alone, ONNX Runtime allocating the output from its arena, copied into the same array.</summary>
    [Benchmark]
    public float RunArenaOutput()
    {
        _session.RunWithBinding(_runOptions, _arenaBinding);
        using var outputs = _arenaBinding.GetOutputValues();
        outputs[0].GetTensorDataAsSpan<float>().CopyTo(_runOutput);
        return _runOutput[0];
    }

    /// <summary>Builds the same result the scorer returns (normalised input, reconstruction, errors, RMSE, labels).</summary>
    [Benchmark]
    public double AllocatePerCall()
    {
        var features = _normalizer.FeatureCount;
        var normalized = new float[_rows.Length];
        _normalizer.Normalize(_rows, normalized);
        using var input = OrtValue.CreateTensorValueFromMemory(normalized, [Rows, features]);
        using var outputs = _session.Run(_runOptions, ["x"], [input], ["reconstruction"]);
        var reconstruction = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        return Labels(normalized, reconstruction);
    }

    /// <summary>The rest of the scorer's result: per-feature errors, RMSE and labels, as the scorer allocates them.</summary>
    private double Labels(float[] normalized, float[] reconstruction)
    {
        var features = _normalizer.FeatureCount;
        var errors = new float[_rows.Length];
        var rmse = new double[Rows];
        var isAnomaly = new bool[Rows];
        for (var row = 0; row < Rows; row++)
        {
            rmse[row] = ReconstructionError.Rmse(normalized.AsSpan(row * features, features), reconstruction.AsSpan(row * features, features), errors.AsSpan(row * features, features));
            isAnomaly[row] = rmse[row] > _pooled.Config.Threshold;
        }
        return rmse[0];
    }
}
