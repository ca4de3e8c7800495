using AnomalyApi.Core.Scoring;
using AnomalyApi.Trainer.Commands;

namespace AnomalyApi.Trainer.Tests.Building;

/// <summary>
/// models/README.md promises that its commands rebuild the shipped model. Run them (in process) and
/// check the rebuilt model scores fixed inputs like the shipped one to 1e-6.
/// </summary>
[Collection(TrainerCliCollection.Name)]
public sealed class DefaultModelReproducibilityTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("default-model-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public void ModelCardCommands_RebuildTheShippedModel()
    {
        var data = Path.Combine(_work.FullName, "normal.csv");
        var rebuilt = Path.Combine(_work.FullName, "model");
        var shipped = Path.Combine(AppContext.BaseDirectory, "models");
        // Exactly the commands in models/README.md ("Rebuild it").
        Assert.Equal(0, TrainerCli.Create().Parse(["synth", "--cpus", "4", "--rows", "20000", "--seed", "1", "--out", data]).Invoke());
        Assert.Equal(0, TrainerCli.Create().Parse(["train", "--data", data, "--out", rebuilt, "--seed", "42", "--threshold", "auto", "--model-version", "1.0.0"]).Invoke());

        using var original = AnomalyScorer.Load(Path.Combine(shipped, "autoencoder.onnx"), Path.Combine(shipped, "model_config.json"));
        using var copy = AnomalyScorer.Load(Path.Combine(rebuilt, "autoencoder.onnx"), Path.Combine(rebuilt, "model_config.json"));
        var random = new Random(2026);
        var rows = new float[64 * 38];
        for (var i = 0; i < rows.Length; i++)
        {
            var feature = i % 38;
            var (min, max) = (original.Config.Normalization.Min[feature], original.Config.Normalization.Max[feature]);
            rows[i] = (float)(min + (max - min) * random.NextDouble());
        }

        var expected = original.Score(rows).Rmse;
        var actual = copy.Score(rows).Rmse;

        Assert.Equal(original.Config.Threshold, copy.Config.Threshold, 1e-6);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-6);
        }
    }
}
