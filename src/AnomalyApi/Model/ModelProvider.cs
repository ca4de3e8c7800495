using System.Collections.Frozen;
using System.Diagnostics;
using AnomalyApi.Core;
using AnomalyApi.Core.Configuration;
using AnomalyApi.Core.Scoring;
using AnomalyApi.Hosting;
using AnomalyApi.Observability;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Model;

/// <summary>
/// Owns the served model. It is loaded once at start (warmed up before the service reports ready) and can be
/// replaced while requests flow (<see cref="ReloadAsync"/>): the new files are loaded beside the old model,
/// validated and warmed up, and only then swapped in with one atomic exchange. A request holds a
/// <see cref="ModelLease"/> (see <see cref="ModelLeaseMiddleware"/>) and finishes on the model it started with;
/// a replaced model is disposed when its last lease is released.
/// </summary>
public sealed class ModelProvider(IOptions<ModelOptions> options, IHostEnvironment environment, ILogger<ModelProvider> logger)
    : IDisposable
{
    private readonly AsyncLocal<LoadedModel?> _pinned = new();
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private volatile LoadedModel? _current;
    private volatile ModelReloadError? _lastReloadError;
    private volatile bool _disposed;

    /// <summary>True once a model is loaded and its warm-up run has passed.</summary>
    public bool IsReady => _current is not null;

    /// <summary>
    /// The model this async flow holds a lease on (a request's, through <see cref="ModelLeaseMiddleware"/>), else the
    /// one being served now. Only call after checking <see cref="IsReady"/> (the endpoints' filter does).
    /// </summary>
    public LoadedModel Model =>
        _pinned.Value is { IsReleased: false } pinned
            ? pinned
            : _current ?? throw new InvalidOperationException("The model is not loaded yet.");

    /// <summary>The scorer of <see cref="Model"/>.</summary>
    public AnomalyScorer Scorer => Model.Scorer;

    /// <summary>Feature name → position in <see cref="Model"/>'s order.</summary>
    public FrozenDictionary<string, int> FeatureIndex => _current is null ? FrozenDictionary<string, int>.Empty : Model.FeatureIndex;

    /// <summary>True when <paramref name="model"/> is the one being served now (not a replaced one finishing requests).</summary>
    public bool IsCurrent(LoadedModel model) => ReferenceEquals(_current, model);

    /// <summary>The latest failed reload, or null when the latest reload succeeded (or none failed yet).</summary>
    public ModelReloadError? LastReloadError => _lastReloadError;

    /// <summary>
    /// Holds the model served now until the lease is disposed, and makes it <see cref="Model"/> for the rest of the
    /// caller's async flow. Dispose it in the same flow (a <c>using</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">No model is loaded.</exception>
    public ModelLease Acquire()
    {
        while (true)
        {
            var current = _current ?? throw new InvalidOperationException("The model is not loaded yet.");
            if (current.TryAddReference())
            {
                var previous = _pinned.Value;
                _pinned.Value = current;
                return new ModelLease(current, previous, ReleaseLease);
            }
            // Replaced and released between the read and the reference: the newer model is current by now.
        }
    }

    private void ReleaseLease(ModelLease lease)
    {
        if (ReferenceEquals(_pinned.Value, lease.Model))
        {
            _pinned.Value = lease.PreviouslyPinned;
        }
        Release(lease.Model);
    }

    /// <summary>Loads, checks and warms up the configured model: the start-up load.</summary>
    /// <exception cref="ModelLoadException">A file is missing or corrupt, or the config disagrees with the ONNX model.</exception>
    public void Load()
    {
        var stopwatch = Stopwatch.StartNew();
        var loaded = Build(ReadSnapshot());
        Swap(loaded);
        SetLastReloadError(null);
        var config = loaded.Scorer.Config;
        Log.ModelLoaded(logger, config.ModelName, config.ModelVersion, config.FeatureCount, config.Threshold,
            loaded.Sha256, loaded.Scorer.Info.OnnxPath, loaded.Scorer.SessionCount, stopwatch.ElapsedMilliseconds);
    }

    /// <summary>
    /// Loads the model files again beside the served model and swaps only if the new one passes every check
    /// (config rules, ONNX contract, warm-up run). One reload runs at a time; others wait their turn. Never throws
    /// for a bad model: the result says what happened, and a failure is logged, counted and kept in
    /// <see cref="LastReloadError"/>.
    /// </summary>
    public async Task<ModelReloadResult> ReloadAsync(string trigger, CancellationToken cancellationToken = default)
    {
        await _reloadGate.WaitAsync(cancellationToken);
        // Reading, building and warming a model takes hundreds of milliseconds: not on a socket thread (InlineIo).
        await InlineIo.LeaveSocketThreadAsync();
        try
        {
            var served = _current ?? throw new InvalidOperationException("The model is not loaded yet.");
            var stopwatch = Stopwatch.StartNew();
            LoadedModel loaded;
            try
            {
                var snapshot = ReadSnapshot();
                if (snapshot.OnnxSha256 == served.Sha256 && snapshot.ConfigSha256 == served.ConfigSha256)
                {
                    // The files are what is served (a touch, a copy of the same model, or a bad file put back).
                    SetLastReloadError(null);
                    Log.ModelUnchanged(logger, trigger, served.Scorer.Config.ModelVersion, served.Sha256);
                    return new ModelReloadResult(ModelReloadOutcome.Unchanged, served, null);
                }
                loaded = Build(snapshot);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // ModelLoadException names the file and the key; anything else (an ONNX Runtime failure in the
                // warm-up run, say) is still a bad model, not a reason to stop serving the good one.
                var problem = ex is ModelLoadException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
                SetLastReloadError(new ModelReloadError(problem, DateTimeOffset.UtcNow, trigger));
                AnomalyMetrics.ModelReloadFailures.Inc();
                Log.ModelReloadFailed(logger, trigger, served.Scorer.Config.ModelName, served.Scorer.Config.ModelVersion,
                    served.Sha256, problem);
                return new ModelReloadResult(ModelReloadOutcome.Failed, served, problem);
            }

            Swap(loaded);
            SetLastReloadError(null);
            AnomalyMetrics.ModelReloads.Inc();
            var config = loaded.Scorer.Config;
            Log.ModelReloaded(logger, trigger, config.ModelName, config.ModelVersion, loaded.Sha256, config.FeatureCount,
                config.Threshold, served.Scorer.Config.ModelVersion, served.Sha256, stopwatch.ElapsedMilliseconds);
            return new ModelReloadResult(ModelReloadOutcome.Reloaded, loaded, null);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>Records the latest reload's failure (or its absence) for GET /model and for anomaly_model_reload_failing.</summary>
    private void SetLastReloadError(ModelReloadError? error)
    {
        _lastReloadError = error;
        AnomalyMetrics.ModelReloadFailing.Set(error is null ? 0 : 1);
    }

    /// <summary>The two model files as configured (see <see cref="ResolvePaths"/>).</summary>
    public (string OnnxPath, string ConfigPath) Paths =>
        ResolvePaths(options.Value, environment.ContentRootPath, AppContext.BaseDirectory);

    private ScorerOptions ScorerOptions =>
        options.Value.OnnxSessions is > 0 and var sessions ? new ScorerOptions { Sessions = sessions } : new ScorerOptions();

    private ModelSnapshot ReadSnapshot()
    {
        var (onnxPath, configPath) = Paths;
        return ModelSnapshot.Read(onnxPath, configPath);
    }

    /// <summary>Builds a model from one snapshot of the files and runs it once; disposes it again if anything fails.</summary>
    private LoadedModel Build(ModelSnapshot snapshot)
    {
        // Config rules (lengths of min/max against the features list, names, numbers), then the ONNX contract
        // (input/output names, float32, last dimension = the config's feature count), then one real run.
        var config = ModelConfigReader.Parse(snapshot.Config, snapshot.ConfigPath);
        var scorer = AnomalyScorer.Load(snapshot.Onnx, config, snapshot.OnnxPath, snapshot.ConfigPath, ScorerOptions);
        try
        {
            scorer.WarmUp();
            return new LoadedModel(scorer, snapshot);
        }
        catch
        {
            scorer.Dispose();
            throw;
        }
    }

    /// <summary>Makes <paramref name="loaded"/> the served model in one exchange, updates its metrics, releases the old one.</summary>
    private void Swap(LoadedModel loaded)
    {
        if (_disposed)
        {
            Release(loaded);
            return;
        }
        var old = Interlocked.Exchange(ref _current, loaded);
        PublishMetrics(old, loaded);
        if (old is not null)
        {
            // The provider's own reference: the old scorer goes when its last request does.
            Release(old);
        }
    }

    /// <summary>Exactly one anomaly_model_info series (and one static threshold) for the model now served.</summary>
    private static void PublishMetrics(LoadedModel? old, LoadedModel loaded)
    {
        var config = loaded.Scorer.Config;
        if (old is not null)
        {
            var previous = old.Scorer.Config;
            AnomalyMetrics.ModelInfo.RemoveLabelled(previous.ModelName, previous.ModelVersion ?? "", old.Sha256);
            // The old model's adaptive threshold is not the new one's: absent until the new tracker is trusted.
            AnomalyMetrics.AdaptiveThreshold.RemoveLabelled(previous.ModelName);
            if (previous.ModelName != config.ModelName)
            {
                AnomalyMetrics.Threshold.RemoveLabelled(previous.ModelName);
            }
        }
        AnomalyMetrics.Threshold.WithLabels(config.ModelName).Set(config.Threshold);
        AnomalyMetrics.ModelInfo.WithLabels(config.ModelName, config.ModelVersion ?? "", loaded.Sha256).Set(1);
    }

    private void Release(LoadedModel model)
    {
        if (model.Release())
        {
            Log.ModelDisposed(logger, model.Scorer.Config.ModelName, model.Scorer.Config.ModelVersion, model.Sha256);
        }
    }

    /// <summary>
    /// The two files to load: <c>Model:OnnxPath</c> + <c>Model:ConfigPath</c> when set, else the two files in
    /// <c>Model:Directory</c>. Relative paths are tried against the content root, then the app's base directory
    /// (where the build copies models/).
    /// </summary>
    public static (string OnnxPath, string ConfigPath) ResolvePaths(ModelOptions options, string contentRoot, string baseDirectory)
    {
        if (!string.IsNullOrWhiteSpace(options.OnnxPath) && !string.IsNullOrWhiteSpace(options.ConfigPath))
        {
            return (Resolve(options.OnnxPath, contentRoot, baseDirectory), Resolve(options.ConfigPath, contentRoot, baseDirectory));
        }
        var directory = Resolve(options.Directory, contentRoot, baseDirectory);
        return (Path.Combine(directory, ModelOptions.OnnxFileName), Path.Combine(directory, ModelOptions.ConfigFileName));
    }

    private static string Resolve(string path, string contentRoot, string baseDirectory)
    {
        if (Path.IsPathRooted(path))
        {
            return Path.GetFullPath(path);
        }
        var underContentRoot = Path.GetFullPath(path, contentRoot);
        if (File.Exists(underContentRoot) || Directory.Exists(underContentRoot))
        {
            return underContentRoot;
        }
        var underBase = Path.GetFullPath(path, baseDirectory);
        // Neither exists: report the content-root path, the one an operator is most likely to have meant.
        return File.Exists(underBase) || Directory.Exists(underBase) ? underBase : underContentRoot;
    }

    /// <summary>Releases the provider's reference: the served scorer is disposed once the requests still on it finish.</summary>
    public void Dispose()
    {
        _disposed = true;
        if (Interlocked.Exchange(ref _current, null) is { } last)
        {
            Release(last);
        }
    }
}
