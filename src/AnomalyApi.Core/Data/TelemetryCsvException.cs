namespace AnomalyApi.Core.Data;

/// <summary>A telemetry CSV that cannot be read; says where (data row and column) and why.</summary>
public sealed class TelemetryCsvException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="row">1-based data row (the header is row 0), or null for a header problem.</param>
    /// <param name="column">The column at fault, when there is one.</param>
    /// <param name="problem">What is wrong.</param>
    public TelemetryCsvException(int? row, string? column, string problem)
        : base(Describe(row, column, problem))
    {
        Row = row;
        Column = column;
        Problem = problem;
    }

    /// <summary>1-based data row, or null for the header.</summary>
    public int? Row { get; }

    /// <summary>The column at fault, if any.</summary>
    public string? Column { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    private static string Describe(int? row, string? column, string problem) =>
        (row, column) switch
        {
            (null, null) => $"header: {problem}",
            (null, _) => $"header, column '{column}': {problem}",
            (_, null) => $"row {row}: {problem}",
            _ => $"row {row}, column '{column}': {problem}",
        };
}
