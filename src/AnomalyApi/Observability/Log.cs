using Microsoft.Extensions.Logging;

namespace AnomalyApi.Observability;

/// <summary>The service's log messages. Feature values never appear above Debug.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information,
        "Loaded model {ModelName} {ModelVersion} ({FeatureCount} features, threshold {Threshold}, sha256 {Sha256}) from {OnnxPath} in {ElapsedMs} ms")]
    public static partial void ModelLoaded(ILogger logger, string modelName, string? modelVersion, int featureCount,
        double threshold, string sha256, string onnxPath, long elapsedMs);

    // One line an operator can act on: the ModelLoadException message names the file, the key and the problem.
    [LoggerMessage(2, LogLevel.Critical, "Cannot serve the model: {Problem}")]
    public static partial void ModelLoadFailed(ILogger logger, string problem);

    [LoggerMessage(3, LogLevel.Critical, "Invalid configuration: {Failures}")]
    public static partial void ConfigurationInvalid(ILogger logger, string failures);

    [LoggerMessage(4, LogLevel.Error, "Unhandled exception on {Method} {Path}")]
    public static partial void UnhandledException(ILogger logger, string method, string path, Exception exception);

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
}
