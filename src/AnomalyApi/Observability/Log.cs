using Microsoft.Extensions.Logging;

namespace AnomalyApi.Observability;

/// <summary>The service's log messages. Feature values never appear above Debug.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information,
        "Loaded model {ModelName} {ModelVersion} ({FeatureCount} features, threshold {Threshold}, sha256 {Sha256}) from {OnnxPath} on {OnnxSessions} ONNX sessions in {ElapsedMs} ms")]
    public static partial void ModelLoaded(ILogger logger, string modelName, string? modelVersion, int featureCount,
        double threshold, string sha256, string onnxPath, int onnxSessions, long elapsedMs);

    // One line an operator can act on: the ModelLoadException message names the file, the key and the problem.
    [LoggerMessage(2, LogLevel.Critical, "Cannot serve the model: {Problem}")]
    public static partial void ModelLoadFailed(ILogger logger, string problem);

    [LoggerMessage(3, LogLevel.Critical, "Invalid configuration: {Failures}")]
    public static partial void ConfigurationInvalid(ILogger logger, string failures);

    [LoggerMessage(13, LogLevel.Information,
        "Read appsettings from {SettingsDirectory}, beside the binaries: the content root {ContentRoot} (the directory the service was started from) has none")]
    public static partial void SettingsBesideBinaries(ILogger logger, string settingsDirectory, string contentRoot);

    [LoggerMessage(93, LogLevel.Information,
        "Inline I/O on ({Variable}=1): requests run on the socket threads; batches, model reloads and the collector move to the thread pool")]
    public static partial void InlineIoOn(ILogger logger, string variable);

    [LoggerMessage(94, LogLevel.Information,
        "Inline I/O off: requests run on the thread pool ({Variable}=1 turns it on, as the Dockerfile does; README, Performance)")]
    public static partial void InlineIoOff(ILogger logger, string variable);

    /// <param name="traceId">The problem body's <c>traceId</c>, so a client's report finds this line.</param>
    [LoggerMessage(4, LogLevel.Error, "Unhandled exception on {Method} {Path} (traceId {TraceId})")]
    public static partial void UnhandledException(ILogger logger, string method, string path, string traceId, Exception exception);

    [LoggerMessage(5, LogLevel.Debug, "Rejected {Method} {Path} with {StatusCode}: {Errors}")]
    public static partial void RequestRejected(ILogger logger, string method, string path, int statusCode, string errors);

    [LoggerMessage(7, LogLevel.Critical, "Cannot listen: {Problem}")]
    public static partial void CannotListen(ILogger logger, string problem);

    [LoggerMessage(8, LogLevel.Information, "Collector started: scoring {Source} at {Url} every {IntervalSeconds} s")]
    public static partial void CollectorStarted(ILogger logger, string source, string url, double intervalSeconds);

    // Once per transition, not every tick: the problem stays visible on /health/ready and /collector/recent.
    [LoggerMessage(9, LogLevel.Warning, "Collector cannot score: {Problem}")]
    public static partial void CollectorProblem(ILogger logger, string problem);

    [LoggerMessage(10, LogLevel.Information, "Collector scoring {Url} again after {Seconds:0.#} s of problems")]
    public static partial void CollectorRecovered(ILogger logger, string url, double seconds);

    [LoggerMessage(11, LogLevel.Warning, "Collector anomaly: rmse {Rmse} above threshold {Threshold}; top features {TopFeatures}")]
    public static partial void CollectorAnomaly(ILogger logger, double rmse, double threshold, string topFeatures);

    [LoggerMessage(12, LogLevel.Debug, "Collector vector at {At}: {Features}")]
    public static partial void CollectorVector(ILogger logger, DateTimeOffset at, string features);

    [LoggerMessage(6, LogLevel.Warning, "The NDJSON stream for {Path} stopped after {Rows} rows")]
    public static partial void StreamAborted(ILogger logger, string path, int rows, Exception exception);

    // Security (70-79). The key itself is never an argument: only where the attempt came from.
    [LoggerMessage(70, LogLevel.Warning, "Rejected an invalid X-API-Key on {Method} {Path} from {Client}")]
    public static partial void ApiKeyRejected(ILogger logger, string method, string path, string client);

    [LoggerMessage(71, LogLevel.Information, "Auth:ApiKeys is empty: /predict, /model and /collector answer without a key")]
    public static partial void ApiOpen(ILogger logger);

    [LoggerMessage(72, LogLevel.Information, "No Auth:AdminKeys or Auth:ApiKeys: /admin/* answers 401 to every request")]
    public static partial void AdminClosed(ILogger logger);

    // Graceful shutdown (90-99): the start and end lines operators and the shutdown test look for.
    [LoggerMessage(90, LogLevel.Information, "Shutting down: refusing new connections, finishing requests in flight (ShutdownTimeoutSeconds {TimeoutSeconds})")]
    public static partial void ShutdownStarted(ILogger logger, double timeoutSeconds);

    [LoggerMessage(91, LogLevel.Information, "Shut down gracefully in {ElapsedMs:0} ms")]
    public static partial void ShutdownCompleted(ILogger logger, double elapsedMs);

    [LoggerMessage(92, LogLevel.Warning, "Shut down after {ElapsedMs:0} ms: the {TimeoutSeconds} s ShutdownTimeoutSeconds ran out and requests still running were cut")]
    public static partial void ShutdownTimedOut(ILogger logger, double elapsedMs, double timeoutSeconds);

    // Model reload (80-89): which trigger, what is served now, and the file and problem when it failed.
    [LoggerMessage(80, LogLevel.Information,
        "Reloaded the model on {Trigger}: now serving {ModelName} {ModelVersion} (sha256 {Sha256}, {FeatureCount} features, threshold {Threshold}), replacing {OldVersion} (sha256 {OldSha256}); took {ElapsedMs} ms")]
    public static partial void ModelReloaded(ILogger logger, string trigger, string modelName, string? modelVersion, string sha256,
        int featureCount, double threshold, string? oldVersion, string oldSha256, long elapsedMs);

    [LoggerMessage(81, LogLevel.Error,
        "Model reload on {Trigger} failed; still serving {ModelName} {ModelVersion} (sha256 {Sha256}): {Problem}")]
    public static partial void ModelReloadFailed(ILogger logger, string trigger, string modelName, string? modelVersion, string sha256, string problem);

    [LoggerMessage(82, LogLevel.Information, "Model files unchanged on {Trigger}: still serving {ModelVersion} (sha256 {Sha256})")]
    public static partial void ModelUnchanged(ILogger logger, string trigger, string? modelVersion, string sha256);

    [LoggerMessage(83, LogLevel.Debug, "Disposed model {ModelName} {ModelVersion} (sha256 {Sha256}): its last request has finished")]
    public static partial void ModelDisposed(ILogger logger, string modelName, string? modelVersion, string sha256);

    [LoggerMessage(84, LogLevel.Information, "Watching {Directory} for new model files (reload after {DebounceMs} ms of quiet)")]
    public static partial void ModelWatching(ILogger logger, string directory, int debounceMs);

    [LoggerMessage(85, LogLevel.Warning, "Cannot watch {Directory} for new model files; POST /admin/model/reload still reloads: {Problem}")]
    public static partial void ModelWatchFailed(ILogger logger, string directory, string problem);
}
