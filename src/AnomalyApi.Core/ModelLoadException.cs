namespace AnomalyApi.Core;

/// <summary>
/// A model file that cannot be served. The message always names the file, the key (or ONNX property) and
/// the problem, in one line, so that a failed start or reload tells an operator what to fix.
/// </summary>
public sealed class ModelLoadException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/>'s <paramref name="key"/>.</summary>
    public ModelLoadException(string file, string key, string problem, Exception? inner = null)
        : base($"{file}: '{key}': {problem}", inner)
    {
        File = file;
        Key = key;
        Problem = problem;
    }

    /// <summary>The file that was being loaded.</summary>
    public string File { get; }

    /// <summary>The config key or ONNX property at fault.</summary>
    public string Key { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
