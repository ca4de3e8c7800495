using AnomalyApi.Core.Configuration;

namespace AnomalyApi.Benchmarks;

/// <summary>The shipped default model, copied beside the benchmark binaries, and inputs for it.</summary>
internal static class BenchmarkModel
{
    public static string OnnxPath => Path.Combine(AppContext.BaseDirectory, "models", "autoencoder.onnx");

    public static string ConfigPath => Path.Combine(AppContext.BaseDirectory, "models", "model_config.json");

    /// <summary>Rows of raw values spread over each feature's training range (seeded).</summary>
    public static float[] MidRangeRows(ModelConfig config, int rows)
    {
        var random = new Random(42);
        var values = new float[rows * config.FeatureCount];
        for (var i = 0; i < values.Length; i++)
        {
            var feature = i % config.FeatureCount;
            var (min, max) = (config.Normalization.Min[feature], config.Normalization.Max[feature]);
            values[i] = (float)(min + (max - min) * random.NextDouble());
        }
        return values;
    }
}
