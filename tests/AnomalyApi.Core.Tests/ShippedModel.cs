namespace AnomalyApi.Core.Tests;

/// <summary>The default model in the repository's models/ folder, copied beside the test binaries.</summary>
internal static class ShippedModel
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "models");

    public static string OnnxPath => Path.Combine(Directory, "autoencoder.onnx");

    public static string ConfigPath => Path.Combine(Directory, "model_config.json");

    /// <summary>A private copy of the model in a fresh temp folder, for tests that break one file.</summary>
    public static string CopyToTemp()
    {
        var target = System.IO.Directory.CreateTempSubdirectory("anomaly-model-").FullName;
        File.Copy(OnnxPath, Path.Combine(target, "autoencoder.onnx"));
        File.Copy(ConfigPath, Path.Combine(target, "model_config.json"));
        return target;
    }

    /// <summary>Seeded rows of raw values spread a little beyond each feature's training range.</summary>
    public static float[] RandomRows(AnomalyApi.Core.Configuration.ModelConfig config, int rows, int seed)
    {
        var random = new Random(seed);
        var values = new float[rows * config.FeatureCount];
        for (var i = 0; i < values.Length; i++)
        {
            var feature = i % config.FeatureCount;
            var min = config.Normalization.Min[feature];
            var max = config.Normalization.Max[feature];
            values[i] = (float)(min + (max - min) * (random.NextDouble() * 1.2 - 0.1));
        }
        return values;
    }
}
