namespace AnomalyApi.Trainer.Training;

/// <summary>How the anomaly threshold is derived from the training reconstruction errors.</summary>
public enum ThresholdMethod
{
    /// <summary>The 95th percentile ("p95").</summary>
    P95,

    /// <summary>The 99th percentile ("p99").</summary>
    P99,

    /// <summary>Mean plus three sample standard deviations ("mean3sd").</summary>
    Mean3Sd,

    /// <summary>Mean3Sd where a normality test accepts the errors as normal, otherwise P99 ("auto").</summary>
    Auto,
}
