using Prometheus;

namespace AnomalyApi.Observability;

/// <summary>
/// The service's Prometheus metrics, with the names issue 3 gives (anomaly_score is what the seed pipeline's
/// dashboards query). Every series carries the model name; score-related series also carry a <c>source</c>
/// ("api" here; the background collector reports the same gauges with source="collector").
/// </summary>
public static class AnomalyMetrics
{
    public const string ApiSource = "api";

    /// <summary>The background collector's scores of this machine's live telemetry.</summary>
    public const string CollectorSource = "collector";

    /// <summary>Stage label values of <see cref="InferenceDuration"/>.</summary>
    public static class Stages
    {
        /// <summary>Reading, deserializing and validating the request body.</summary>
        public const string Parse = "parse";

        /// <summary>
        /// Core's <c>AnomalyScorer.Score</c>: min-max normalisation, the ONNX run and the RMSE in one call.
        /// Normalising costs well under a microsecond a row next to the ONNX run, so it is not timed apart.
        /// </summary>
        public const string Score = "score";

        /// <summary>Building the response (and, for NDJSON, writing it).</summary>
        public const string Respond = "respond";
    }

    private static readonly string[] ModelAndSource = ["model", "source"];

    // 50 µs doubling to ~0.8 s: sub-millisecond stages land in distinct buckets, and a stalled run still fits.
    private static readonly double[] DurationBuckets = Histogram.ExponentialBuckets(0.00005, 2, 15);

    public static readonly Gauge Score = Metrics.CreateGauge(
        "anomaly_score", "Reconstruction RMSE of the latest scored row.",
        new GaugeConfiguration { LabelNames = ModelAndSource });

    public static readonly Gauge IsAnomaly = Metrics.CreateGauge(
        "anomaly_is_anomaly", "1 when the latest scored row was labelled an anomaly (under Scoring:Adaptive:Rule), else 0.",
        new GaugeConfiguration { LabelNames = ModelAndSource });

    public static readonly Gauge Threshold = Metrics.CreateGauge(
        "anomaly_threshold", "The RMSE above which a row is an anomaly.",
        new GaugeConfiguration { LabelNames = ["model"] });

    public static readonly Gauge AdaptiveThreshold = Metrics.CreateGauge(
        "anomaly_adaptive_threshold", "The quantile of recent scores the next row is judged against; absent until trusted.",
        new GaugeConfiguration { LabelNames = ["model"] });

    public static readonly Counter Predictions = Metrics.CreateCounter(
        "anomaly_predictions_total", "Rows scored.",
        new CounterConfiguration { LabelNames = ModelAndSource });

    public static readonly Counter Detections = Metrics.CreateCounter(
        "anomaly_detections_total", "Rows scored as anomalies.",
        new CounterConfiguration { LabelNames = ModelAndSource });

    public static readonly Histogram InferenceDuration = Metrics.CreateHistogram(
        "anomaly_inference_duration_seconds", "Time spent per request in each stage: parse, score, respond.",
        new HistogramConfiguration { LabelNames = ["model", "source", "stage"], Buckets = DurationBuckets });

    public static readonly Histogram BatchSize = Metrics.CreateHistogram(
        "anomaly_batch_size", "Rows per scoring request.",
        new HistogramConfiguration { LabelNames = ModelAndSource, Buckets = Histogram.ExponentialBuckets(1, 2, 14) });

    public static readonly Gauge LastScoreTimestamp = Metrics.CreateGauge(
        "anomaly_last_score_timestamp_seconds", "Unix time of the latest score, so an alert can fire when scores stop.",
        new GaugeConfiguration { LabelNames = ModelAndSource });

    public static readonly Counter FeatureOutOfRange = Metrics.CreateCounter(
        "anomaly_feature_out_of_range_total", "Raw values outside the training min/max, per feature: the cheapest drift signal.",
        new CounterConfiguration { LabelNames = ["model", "source", "feature"] });

    public static readonly Gauge ModelInfo = Metrics.CreateGauge(
        "anomaly_model_info", "The model being served; always 1.",
        new GaugeConfiguration { LabelNames = ["model", "version", "sha256"] });

    public static readonly Counter ModelReloads = Metrics.CreateCounter(
        "anomaly_model_reloads_total", "Reloads that replaced the served model.");

    public static readonly Counter ModelReloadFailures = Metrics.CreateCounter(
        "anomaly_model_reload_failures_total", "Reloads whose new model files failed validation; the previous model kept serving.");

    /// <summary>
    /// The state behind GET /model's lastReloadError, for alerting: the counter above says a reload failed once,
    /// this says the files on disk are still not the model being served.
    /// </summary>
    public static readonly Gauge ModelReloadFailing = Metrics.CreateGauge(
        "anomaly_model_reload_failing", "1 while the latest reload failed (GET /model's lastReloadError) and the previous model is still served, else 0.");

    public static readonly Gauge BatchesRunning = Metrics.CreateGauge(
        "anomaly_batches_running", "/predict/batch and /predict/csv requests in their turn now (at most Scoring:MaxConcurrentBatches).");

    public static readonly Gauge BatchesWaiting = Metrics.CreateGauge(
        "anomaly_batches_waiting", "Batch requests waiting for a turn, bodies not yet read (at most Scoring:BatchQueueLimit).");

    public static readonly Counter BatchesRefused = Metrics.CreateCounter(
        "anomaly_batches_refused_total", "Batch requests answered 503 because the running ones and the line were full.");
}
