namespace AnomalyApi.Trainer;

/// <summary>The trainer's process exit codes, so scripts can tell a bad file from a bad model.</summary>
public static class ExitCodes
{
    /// <summary>The verb did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The command line could not be parsed (System.CommandLine's own code).</summary>
    public const int UsageError = 1;

    /// <summary>An input file is missing or malformed (the message names the row and column).</summary>
    public const int DataError = 2;

    /// <summary>A model could not be loaded, trained or written.</summary>
    public const int ModelError = 3;
}
