using AnomalyApi.Trainer.Onnx;
using AnomalyApi.Trainer.Training;
using Microsoft.ML.OnnxRuntime;

namespace AnomalyApi.Trainer.Tests.Onnx;

/// <summary>
/// Loads written files into the real ONNX Runtime and compares its output with
/// <see cref="Autoencoders.Forward"/>, so a wrong weight layout or attribute shows up as wrong numbers.
/// </summary>
public sealed class OnnxModelWriterRuntimeTests : IDisposable
{
    private const int Features = 38;

    private readonly string _directory = Directory.CreateTempSubdirectory("onnx-writer-").FullName;
    private readonly DenseLayer[] _layers = Autoencoders.Random(Autoencoders.ProductionWidths, seed: 20240611);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public void Write_WithProductionNetwork_RuntimeMatchesPlainForwardPass(int rows)
    {
        var path = WriteModel(new OnnxExportOptions());
        var batch = Autoencoders.RandomBatch(rows, Features, seed: rows);

        using var session = new InferenceSession(path);
        var actual = Run(session, batch, rows, out var shape);

        Assert.Equal(new long[] { rows, Features }, shape);
        AssertClose(Autoencoders.Forward(_layers, batch, rows), actual);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(21)]
    [InlineData(OnnxExportOptions.MaximumOpset)]
    public void Write_WithSupportedOpset_LoadsAndRunsInRuntime(int opset)
    {
        var path = WriteModel(new OnnxExportOptions { Opset = opset });
        var batch = Autoencoders.RandomBatch(3, Features, seed: opset);

        using var session = new InferenceSession(path);
        var actual = Run(session, batch, 3, out _);

        AssertClose(Autoencoders.Forward(_layers, batch, 3), actual);
    }

    [Fact]
    public void Write_WithDefaultOptions_RuntimeReportsDynamicBatchAndFixedWidth()
    {
        var path = WriteModel(new OnnxExportOptions());

        using var session = new InferenceSession(path);

        var input = Assert.Single(session.InputMetadata);
        Assert.Equal("x", input.Key);
        Assert.Equal(typeof(float), input.Value.ElementType);
        Assert.Equal([-1, Features], input.Value.Dimensions);
        Assert.Equal("batch", input.Value.SymbolicDimensions[0]);

        var output = Assert.Single(session.OutputMetadata);
        Assert.Equal("reconstruction", output.Key);
        Assert.Equal(typeof(float), output.Value.ElementType);
        Assert.Equal([-1, Features], output.Value.Dimensions);
        Assert.Equal("batch", output.Value.SymbolicDimensions[0]);
    }

    [Fact]
    public void Write_WithMetadata_RuntimeExposesItAsCustomMetadata()
    {
        var path = WriteModel(new OnnxExportOptions
        {
            ProducerVersion = "1.2.3",
            Metadata = new Dictionary<string, string> { ["threshold"] = "0.125" },
        });

        using var session = new InferenceSession(path);

        Assert.Equal("anomaly-trainer", session.ModelMetadata.ProducerName);
        Assert.Equal("autoencoder", session.ModelMetadata.GraphName);
        Assert.Equal("0.125", session.ModelMetadata.CustomMetadataMap["threshold"]);
    }

    [Fact]
    public void Write_OverExistingFile_ReplacesItAndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(_directory, "nested", "model.onnx");
        OnnxModelWriter.Write(path, Autoencoders.Random([4, 2, 4], seed: 1), new OnnxExportOptions());

        OnnxModelWriter.Write(path, _layers, new OnnxExportOptions());

        Assert.Equal(OnnxModelWriter.ToBytes(_layers, new OnnxExportOptions()), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    private string WriteModel(OnnxExportOptions options)
    {
        var path = Path.Combine(_directory, $"model-{Guid.NewGuid():N}.onnx");
        OnnxModelWriter.Write(path, _layers, options);
        return path;
    }

    private static float[] Run(InferenceSession session, float[] batch, int rows, out long[] shape)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(batch, [rows, Features]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [input], ["reconstruction"]);
        var output = Assert.Single(outputs);
        shape = output.GetTensorTypeAndShape().Shape;
        return output.GetTensorDataAsSpan<float>().ToArray();
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= 1e-5,
                $"Element {i}: expected {expected[i]:R}, runtime gave {actual[i]:R}.");
        }
    }
}
