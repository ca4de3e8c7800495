namespace AnomalyApi;

/// <summary>What the process's exit code means, for operators and orchestrators.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A configuration value is invalid; the log line names the key.</summary>
    public const int InvalidConfiguration = 2;

    /// <summary>The model cannot be served; the log line names the file and the problem.</summary>
    public const int ModelLoadFailed = 3;

    /// <summary>Kestrel cannot bind its address (in use, or not permitted); the log line names it.</summary>
    public const int CannotListen = 4;
}
