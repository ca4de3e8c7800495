namespace AnomalyApi.Trainer.Building;

/// <summary>The file names of a model directory, as the service looks for them.</summary>
public static class ModelFiles
{
    /// <summary>The ONNX network.</summary>
    public const string Onnx = "autoencoder.onnx";

    /// <summary>Features, normalisation and threshold.</summary>
    public const string Config = "model_config.json";

    /// <summary>Training history, threshold choice and RMSE statistics.</summary>
    public const string ReportJson = "training_report.json";

    /// <summary>Loss curve and RMSE histogram with the threshold line.</summary>
    public const string ReportPng = "training_report.png";
}
