using System.Collections.Frozen;
using System.Diagnostics;
using AnomalyApi.Core;
using AnomalyApi.Core.Scoring;
using AnomalyApi.Observability;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Model;

/// <summary>
/// Owns the one <see cref="AnomalyScorer"/> the service shares between requests. It is loaded once at start,
/// warmed up with one run, and only then reported ready; the container disposes it at shutdown.
/// </summary>
public sealed class ModelProvider(IOptions<ModelOptions> options, IHostEnvironment environment, ILogger<ModelProvider> logger)
    : IDisposable
{
    private volatile AnomalyScorer? _scorer;

    /// <summary>True once the model is loaded and a warm-up run has passed.</summary>
    public bool IsReady => _scorer is not null;

    /// <summary>The loaded scorer; only call after checking <see cref="IsReady"/> (the endpoints' filter does).</summary>
    public AnomalyScorer Scorer => _scorer ?? throw new InvalidOperationException("The model is not loaded yet.");

    /// <summary>Feature name → position in the model's order.</summary>
    public FrozenDictionary<string, int> FeatureIndex { get; private set; } = FrozenDictionary<string, int>.Empty;

    /// <summary>Loads, checks and warms up the configured model.</summary>
    /// <exception cref="ModelLoadException">A file is missing or corrupt, or the config disagrees with the ONNX model.</exception>
    public void Load()
    {
        var (onnxPath, configPath) = ResolvePaths(options.Value, environment.ContentRootPath, AppContext.BaseDirectory);
        var stopwatch = Stopwatch.StartNew();
        var scorer = AnomalyScorer.Load(onnxPath, configPath);
        try
        {
            scorer.WarmUp();
        }
        catch
        {
            scorer.Dispose();
            throw;
        }

        var config = scorer.Config;
        AnomalyMetrics.Threshold.WithLabels(config.ModelName).Set(config.Threshold);
        AnomalyMetrics.ModelInfo.WithLabels(config.ModelName, config.ModelVersion ?? "", scorer.Info.Sha256).Set(1);
        Log.ModelLoaded(logger, config.ModelName, config.ModelVersion, config.FeatureCount, config.Threshold,
            scorer.Info.Sha256, scorer.Info.OnnxPath, stopwatch.ElapsedMilliseconds);
        FeatureIndex = config.Features.Select((name, index) => KeyValuePair.Create(name, index)).ToFrozenDictionary(StringComparer.Ordinal);
        _scorer = scorer;
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

    public void Dispose() => _scorer?.Dispose();
}
