namespace AnomalyApi.Contracts;

/// <summary>POST /admin/model/reload: the model served after the reload.</summary>
/// <param name="Outcome"><c>reloaded</c> (a new model is served) or <c>unchanged</c> (the files hold the served model).</param>
/// <param name="Name">model_name.</param>
/// <param name="Version">model_version, if the config has one.</param>
/// <param name="Sha256">sha256 of the served ONNX file.</param>
/// <param name="LoadedAt">When the served model was loaded.</param>
public sealed record ModelReloadResponse(string Outcome, string Name, string? Version, string Sha256, DateTimeOffset LoadedAt);

/// <summary>Why the latest reload failed; the previous model kept serving.</summary>
/// <param name="Message">The file and the problem.</param>
/// <param name="At">When the reload was attempted.</param>
/// <param name="Trigger"><c>file-change</c> or <c>admin</c>.</param>
public sealed record ModelReloadErrorResponse(string Message, DateTimeOffset At, string Trigger);
