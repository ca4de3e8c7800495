namespace AnomalyApi.Core.Telemetry;

/// <summary>
/// An answer from a Prometheus query URL that is not the HTTP API's JSON envelope (<c>{"status": ...}</c>): the URL
/// is not a Prometheus, or a proxy answered instead. A problem of the server, not of one expression.
/// </summary>
public sealed class PrometheusApiException : FormatException
{
    /// <summary>Creates the exception with <paramref name="message"/>, one line.</summary>
    public PrometheusApiException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
