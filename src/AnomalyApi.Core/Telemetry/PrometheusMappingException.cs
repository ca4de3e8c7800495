namespace AnomalyApi.Core.Telemetry;

/// <summary>
/// A feature-to-PromQL mapping file that cannot be used. The message is one line naming the file and, where there
/// is one, the key, so an operator can fix it without reading code.
/// </summary>
public sealed class PrometheusMappingException : Exception
{
    /// <summary>Creates the exception for <paramref name="problem"/> in <paramref name="path"/>.</summary>
    public PrometheusMappingException(string path, string problem, Exception? inner = null)
        : base($"Prometheus mapping file {path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The mapping file.</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
