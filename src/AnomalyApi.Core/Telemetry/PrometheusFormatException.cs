namespace AnomalyApi.Core.Telemetry;

/// <summary>
/// A line of Prometheus text exposition that does not follow the format. The message names the
/// line number and the problem, so a user can find it in the exporter's output.
/// </summary>
public sealed class PrometheusFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="problem"/> on 1-based line <paramref name="lineNumber"/>.</summary>
    public PrometheusFormatException(int lineNumber, string problem)
        : base($"Prometheus text format error on line {lineNumber}: {problem}")
    {
        LineNumber = lineNumber;
        Problem = problem;
    }

    /// <summary>The 1-based number of the offending line.</summary>
    public int LineNumber { get; }

    /// <summary>What is wrong with the line, without the line number.</summary>
    public string Problem { get; }
}
