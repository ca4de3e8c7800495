namespace AnomalyApi.Trainer.Recording;

/// <summary>The exporter gave nothing usable at the start of a recording (the message names the URL and the error).</summary>
public sealed class RecordingException(string message, Exception? inner = null) : Exception(message, inner);
