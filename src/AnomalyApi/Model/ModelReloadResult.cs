namespace AnomalyApi.Model;

/// <summary>What one reload did.</summary>
public enum ModelReloadOutcome
{
    /// <summary>A new model passed validation and is now served.</summary>
    Reloaded,

    /// <summary>The files hold exactly what is being served (both sha256s match): nothing was swapped.</summary>
    Unchanged,

    /// <summary>The new files failed validation: the previous model is still served.</summary>
    Failed,
}

/// <param name="Outcome">What happened.</param>
/// <param name="Served">The model served after this reload (the old one when it failed).</param>
/// <param name="Error">Why it failed, naming the file and the problem; null unless <see cref="ModelReloadOutcome.Failed"/>.</param>
public sealed record ModelReloadResult(ModelReloadOutcome Outcome, LoadedModel Served, string? Error);

/// <summary>The latest failed reload, shown by GET /model until a reload succeeds (or finds the served files back).</summary>
/// <param name="Message">The file and the problem, as logged.</param>
/// <param name="At">When the reload was attempted.</param>
/// <param name="Trigger">What started it: <c>file-change</c> or <c>admin</c>.</param>
public sealed record ModelReloadError(string Message, DateTimeOffset At, string Trigger);

/// <summary>Values of a reload's trigger, in logs and in <see cref="ModelReloadError.Trigger"/>.</summary>
public static class ModelReloadTriggers
{
    public const string FileChange = "file-change";

    public const string Admin = "admin";
}
