namespace AnomalyApi.Security;

/// <summary>
/// The <c>Limits</c> section: what a request body may hold beyond its size (Scoring:MaxRequestBodyBytes) and row
/// count (Scoring:MaxBatchSize). Kestrel's own limits (header timeouts, keep-alive) are Kestrel:Limits:*.
/// </summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>
    /// Deepest JSON nesting read. A valid request nests 3 deep (body → instances → row), so 16 leaves room for
    /// clients that wrap it while capping the work a hostile body can ask for.
    /// </summary>
    public int JsonMaxDepth { get; set; } = 16;

    /// <summary>Longest CSV line, in bytes. A 38-feature header is about 1 KB and a row under 600 bytes.</summary>
    public int MaxCsvLineBytes { get; set; } = 64 * 1024;
}
