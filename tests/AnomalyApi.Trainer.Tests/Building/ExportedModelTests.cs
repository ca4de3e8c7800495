using AnomalyApi.Trainer.Onnx;
using AnomalyApi.Trainer.Training;
using Microsoft.ML.OnnxRuntime;

namespace AnomalyApi.Trainer.Tests.Building;

/// <summary>What the trainer computes and what ONNX Runtime computes from the exported file are the same network.</summary>
public class ExportedModelTests
{
    [Theory]
    [InlineData(38, 1)]
    [InlineData(38, 33)]
    [InlineData(22, 8)]
    public void TrainerForwardPass_EqualsOnnxRuntimeOnExportedFile(int features, int rows)
    {
        // Train briefly so the weights are not just the initialiser's.
        var random = new Random(features * 31 + rows);
        var data = Enumerable.Range(0, 200 * features).Select(_ => (float)random.NextDouble()).ToArray();
        var trained = AutoencoderTrainer.Train(data, features, new TrainingOptions { Epochs = 3, Seed = 9 });
        var network = trained.CreateNetwork();
        var input = Enumerable.Range(0, rows * features).Select(_ => (float)(random.NextDouble() * 1.4 - 0.2)).ToArray();
        var expected = new float[rows * features];
        network.Forward(input, rows, expected);

        using var session = new InferenceSession(OnnxModelWriter.ToBytes(trained.Layers, new OnnxExportOptions()));
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [rows, features]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [inputValue], ["reconstruction"]);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"value {i}: trainer {expected[i]}, ONNX Runtime {actual[i]}");
        }
    }
}
