using System.Security.Cryptography;
using AnomalyApi.Core.Configuration;
using AnomalyApi.Core.Normalization;
using AnomalyApi.Core.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace AnomalyApi.Core.Scoring;

/// <summary>
/// Scores rows of raw telemetry with an ONNX autoencoder: normalise, reconstruct, RMSE, label.
/// </summary>
/// <remarks>
/// Pooling design. One <see cref="InferenceSession"/> per processor (<see cref="ScorerOptions.Sessions"/>), and a
/// call runs on the session of the core it is on. <c>Run</c> is safe from many threads at once, but every run takes
/// its session's CPU arena lock, and two cores running one session queue on it. Measured (2026-12-05, 2-core VM, a
/// probe with two threads running single rows): 9.5 µs of CPU a run on one shared session against 4.7 µs on a
/// session each; with 38 µs of other work between runs, 46.6 against 43.9 µs an iteration. In the service (one
/// process serving both ways on two ports, 16 connections, wrk alternating): 1.025×, 1.013× and 1.022× /predict's
/// requests/s at 0.969×, 0.980× and 0.975× the CPU a request, in runs of 10, 10 and 16 paired rounds, where the
/// same build against itself read 0.995× and 1.001×; 256-row protobuf batches did not move (1.002×). A session of
/// this model costs about 0.5 MB. What is pooled within a session is per-call state: pinned input/output buffers
/// and the OrtValues over them (<see cref="ScoringWorkspace"/>), one per concurrent caller and input shape, so a
/// call allocates its result and nothing else.
/// Each workspace binds its input and output to the session once (<see cref="OrtIoBinding"/>), so a run is one
/// native call: <c>InferenceSession.Run</c> with name and value lists builds name/handle arrays per call (224 B).
/// Measured (ScorerBenchmarks/PoolingBenchmarks ShortRun, 2-core machine under load, and a probe interleaving the
/// variants and taking minima): one row allocates 672 B, its result alone (896 B before); 256 rows take about
/// 55–70 µs against 78–90 µs before, where 16 one-row calls take 70–100 µs. The 256-row gap was never the
/// preallocated output (the bound run alone is as fast as letting ONNX Runtime allocate it) but allocating the
/// result before the run: see <see cref="ScoreChunk"/>. Rows go through in chunks whose sizes are powers of two up to
/// <see cref="ScorerOptions.MaxChunkRows"/>, which keeps the set of shapes ONNX Runtime sees, and so its
/// arena, bounded. This type is thread-safe.
/// </remarks>
public sealed class AnomalyScorer : IDisposable
{
    private readonly ScoringSession[] _sessions;
    private readonly SessionOptions _sessionOptions;

    private AnomalyScorer(ModelConfig config, ModelInfo info, ScoringSession[] sessions, SessionOptions sessionOptions)
    {
        Config = config;
        Info = info;
        Normalizer = new MinMaxNormalizer(config.Normalization);
        _sessions = sessions;
        _sessionOptions = sessionOptions;
    }

    /// <summary>The validated model_config.json.</summary>
    public ModelConfig Config { get; }

    /// <summary>Where the model came from and what it is.</summary>
    public ModelInfo Info { get; }

    /// <summary>The normaliser built from the config.</summary>
    public MinMaxNormalizer Normalizer { get; }

    /// <summary>Features per row.</summary>
    public int FeatureCount => Config.FeatureCount;

    /// <summary>
    /// Loads a model and checks the ONNX file against its config.
    /// </summary>
    /// <exception cref="ModelLoadException">Either file is missing, corrupt, or they disagree.</exception>
    public static AnomalyScorer Load(string onnxPath, string configPath, ScorerOptions? options = null)
    {
        var config = ModelConfigReader.Read(configPath);

        byte[] onnxBytes;
        try
        {
            onnxBytes = File.ReadAllBytes(onnxPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException(onnxPath, "(file)", $"cannot be read: {ex.Message}", ex);
        }
        return Load(onnxBytes, config, onnxPath, configPath, options);
    }

    /// <summary>
    /// Loads a model from bytes already read (a snapshot of both files, so a file replaced mid-load cannot mix two
    /// versions) and checks the ONNX model against <paramref name="config"/>. The paths only name the files in
    /// errors and in <see cref="Info"/>.
    /// </summary>
    /// <exception cref="ModelLoadException">The ONNX bytes are not a model, or disagree with the config.</exception>
    public static AnomalyScorer Load(byte[] onnxBytes, ModelConfig config, string onnxPath, string configPath, ScorerOptions? options = null)
    {
        options ??= new ScorerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Sessions, 1, nameof(options.Sessions));
        var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        var sessions = new List<ScoringSession>();
        try
        {
            // The contract is checked on the first session, before more are made for a model that cannot serve.
            sessions.Add(NewSession());
            OnnxContract.Check(sessions[0].Session, config, onnxPath);
            while (sessions.Count < options.Sessions)
            {
                sessions.Add(NewSession());
            }
            var info = new ModelInfo(
                Path.GetFullPath(onnxPath),
                Path.GetFullPath(configPath),
                Convert.ToHexStringLower(SHA256.HashData(onnxBytes)),
                OnnxOpset.TryRead(onnxBytes),
                DateTimeOffset.UtcNow);
            return new AnomalyScorer(config, info, [.. sessions], sessionOptions);
        }
        catch
        {
            sessions.ForEach(session => session.Dispose());
            sessionOptions.Dispose();
            throw;
        }

        ScoringSession NewSession() => new(CreateSession(onnxBytes, sessionOptions, onnxPath), config, options.MaxChunkRows);
    }

    private static InferenceSession CreateSession(byte[] onnxBytes, SessionOptions sessionOptions, string onnxPath)
    {
        try
        {
            return new InferenceSession(onnxBytes, sessionOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelLoadException(onnxPath, "(onnx)", $"is not a model ONNX Runtime can load: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Scores <paramref name="rawRows"/>: one or more rows of raw (un-normalised) values, row-major, in
    /// the config's feature order.
    /// </summary>
    public ScoredBatch Score(ReadOnlySpan<float> rawRows)
    {
        var features = FeatureCount;
        if (rawRows.Length == 0 || rawRows.Length % features != 0)
        {
            throw new ArgumentException($"expected one or more rows of {features} values, got {rawRows.Length} values", nameof(rawRows));
        }

        return Score(rawRows, SessionForThisCore());
    }

    /// <summary>The largest number of rows in one ONNX run (<see cref="ScorerOptions.MaxChunkRows"/>).</summary>
    private int MaxChunkRows => _sessions[0].Workspaces.MaxRows;

    /// <summary>How many ONNX Runtime sessions the scorer holds (<see cref="ScorerOptions.Sessions"/>).</summary>
    public int SessionCount => _sessions.Length;

    /// <summary>Scores on one given session rather than this core's: tests compare the sessions.</summary>
    internal ScoredBatch ScoreOnSession(int session, ReadOnlySpan<float> rawRows) => Score(rawRows, _sessions[session]);

    private ScoredBatch Score(ReadOnlySpan<float> rawRows, ScoringSession session)
    {
        var features = FeatureCount;
        var rows = rawRows.Length / features;
        ScoredBatch? result = null;
        for (var start = 0; start < rows; start += MaxChunkRows)
        {
            var count = Math.Min(MaxChunkRows, rows - start);
            ScoreChunk(session, rawRows.Slice(start * features, count * features), start, count, rows, ref result);
        }
        return result!;
    }

    /// <summary>
    /// The session of the processor this thread runs on (a cheap, cached reading). Two threads on different
    /// cores then use different sessions; a thread that moves mid-call, or more processors than sessions, only
    /// means two calls share one, which is safe.
    /// </summary>
    private ScoringSession SessionForThisCore() => _sessions[(uint)Thread.GetCurrentProcessorId() % (uint)_sessions.Length];

    /// <summary>
    /// A row of raw values the model finds normal: start in the middle of every feature's training range and
    /// feed the reconstruction back until it settles. Mid-range values alone are no normal row (the eight CPU
    /// modes of a machine sum to 1; eight mid-range fractions do not), so examples and smoke tests use this.
    /// </summary>
    public float[] TypicalRow(int iterations = 20)
    {
        var normalization = Config.Normalization;
        var row = new float[FeatureCount];
        var normalized = Enumerable.Repeat(0.5f, FeatureCount).ToArray();
        for (var i = 0; i <= iterations; i++)
        {
            for (var f = 0; f < row.Length; f++)
            {
                row[f] = (float)(normalization.Min[f] + (normalization.Max[f] - normalization.Min[f]) * Math.Clamp(normalized[f], 0, 1));
            }
            normalized = Score(row).Reconstruction;
        }
        return row;
    }

    /// <summary>
    /// Runs every chunk shape (1, 2, 4, … <see cref="ScorerOptions.MaxChunkRows"/> rows of a mid-range row) through
    /// every session, so requests never pay for lazy initialisation, and the arenas and workspaces a session will
    /// ever need for one caller are there before the first request: what the scorer holds at ready is what it keeps.
    /// Without it a session first used late (a thread moving to another core, say) grows RSS by about 1 MB then.
    /// </summary>
    public void WarmUp()
    {
        var features = FeatureCount;
        var midRange = new float[MaxChunkRows * features];
        for (var i = 0; i < midRange.Length; i++)
        {
            midRange[i] = (float)((Config.Normalization.Min[i % features] + Config.Normalization.Max[i % features]) / 2);
        }
        foreach (var session in _sessions)
        {
            for (var rows = 1; rows <= MaxChunkRows; rows *= 2)
            {
                var scored = Score(midRange.AsSpan(0, rows * features), session);
                if (!double.IsFinite(scored.Rmse[0]))
                {
                    throw new ModelLoadException(Info.OnnxPath, "(warm-up)", $"scoring a mid-range row gave a non-finite RMSE ({scored.Rmse[0]})");
                }
            }
        }
    }

    /// <summary>
    /// Scores one chunk into <paramref name="result"/>, which the first chunk creates <em>after</em> its ONNX run.
    /// Measured (a probe interleaving both orders, 256 rows): allocating the result's ~120 KB before the run made
    /// the call about 30 µs slower (85 µs against 55 µs), even with uninitialised arrays; after the run it costs
    /// nothing visible. Fresh allocation memory written just before the run evicts the activations and weights
    /// the run then reads back, is the likely reason.
    /// </summary>
    private void ScoreChunk(ScoringSession session, ReadOnlySpan<float> raw, int firstRow, int rows, int totalRows, ref ScoredBatch? result)
    {
        var features = FeatureCount;
        var workspace = session.Workspaces.Rent(rows);
        try
        {
            var input = workspace.Input.AsSpan(0, rows * features);
            Normalizer.Normalize(raw, input);
            // Padding rows (when the workspace is larger than the chunk) keep whatever they held: rows are
            // independent in this network, and their outputs are never read.
            session.Run(workspace);
            result ??= new ScoredBatch(totalRows, Config.Features, Config.Threshold);

            var offset = firstRow * features;
            input.CopyTo(result.Normalized.AsSpan(offset));
            workspace.Output.AsSpan(0, rows * features).CopyTo(result.Reconstruction.AsSpan(offset));
            for (var row = 0; row < rows; row++)
            {
                var at = offset + row * features;
                var rmse = ReconstructionError.Rmse(
                    result.Normalized.AsSpan(at, features),
                    result.Reconstruction.AsSpan(at, features),
                    result.SquaredErrors.AsSpan(at, features));
                result.Rmse[firstRow + row] = rmse;
                result.IsAnomaly[firstRow + row] = rmse > Config.Threshold;
            }
        }
        finally
        {
            session.Workspaces.Return(workspace);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var session in _sessions)
        {
            session.Dispose();
        }
        _sessionOptions.Dispose();
    }
}
