namespace AnomalyApi.Scoring;

/// <summary>The <c>Scoring</c> section: request limits and response detail.</summary>
public sealed class ScoringOptions
{
    public const string SectionName = "Scoring";

    /// <summary>Most rows one /predict/batch or /predict/csv request may carry; more is a 413.</summary>
    public int MaxBatchSize { get; set; } = 4096;

    /// <summary>How many features each result lists under topFeatures.</summary>
    public int TopFeatures { get; set; } = 5;

    /// <summary>Largest request body accepted; more is a 413. 16 MiB holds a full batch of named values.</summary>
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>/predict/batch and /predict/csv requests scored at once; 0 means twice the processor count (see BatchAdmission).</summary>
    public int MaxConcurrentBatches { get; set; }

    /// <summary>Batch requests that may wait for a turn; more at once get a 503.</summary>
    public int BatchQueueLimit { get; set; } = 64;
}
