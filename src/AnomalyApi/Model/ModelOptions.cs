namespace AnomalyApi.Model;

/// <summary>Where the served model lives: <c>Model:Directory</c>, or both <c>Model:OnnxPath</c> and <c>Model:ConfigPath</c>.</summary>
public sealed class ModelOptions
{
    public const string SectionName = "Model";

    public const string OnnxFileName = "autoencoder.onnx";

    public const string ConfigFileName = "model_config.json";

    /// <summary>Holds autoencoder.onnx and model_config.json; relative to the content root, then the app's base directory.</summary>
    public string Directory { get; set; } = "models";

    /// <summary>Overrides the directory: the ONNX file to serve.</summary>
    public string? OnnxPath { get; set; }

    /// <summary>Overrides the directory: the model_config.json to serve.</summary>
    public string? ConfigPath { get; set; }

    /// <summary>Reload the model when its files change (POST /admin/model/reload works either way).</summary>
    public bool WatchFiles { get; set; } = true;

    /// <summary>Quiet time after the last change to the files before a reload starts: a copy in progress is not loaded half-way.</summary>
    public int ReloadDebounceMilliseconds { get; set; } = 500;

    /// <summary>
    /// ONNX Runtime sessions of the model; 0 (the default) means one per processor, so parallel requests do not queue
    /// on one session's arena lock. Each costs about 0.5 MB, so a host with many cores may cap it.
    /// </summary>
    public int OnnxSessions { get; set; }

    public TimeSpan ReloadDebounce => TimeSpan.FromMilliseconds(ReloadDebounceMilliseconds);
}
