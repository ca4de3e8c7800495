namespace AnomalyApi.Core.Scoring;

/// <summary>How the scorer runs ONNX Runtime.</summary>
public sealed record ScorerOptions
{
    /// <summary>
    /// Threads ONNX Runtime may use inside one run. The model is about 3,600 multiply-adds a row, so a
    /// request is far too small to split; concurrency comes from scoring requests in parallel instead.
    /// </summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>
    /// ONNX Runtime sessions of the model, one per processor by default: a call runs on the session of the core
    /// it is on, so parallel runs do not queue on one session's arena lock. Each costs about 0.5 MB.
    /// </summary>
    public int Sessions { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// The largest number of rows in one ONNX run. Larger batches are scored in chunks of this size, and
    /// smaller chunks are padded to the next power of two, so the session only ever sees a handful of
    /// input shapes (1, 2, 4, …, MaxChunkRows). ONNX Runtime's CPU arena grows for every new shape and
    /// never shrinks; a fixed set of shapes keeps its memory bounded.
    /// </summary>
    public int MaxChunkRows { get; init; } = 256;
}
