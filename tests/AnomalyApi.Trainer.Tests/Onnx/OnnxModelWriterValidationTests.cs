using AnomalyApi.Trainer.Onnx;
using AnomalyApi.Trainer.Training;

namespace AnomalyApi.Trainer.Tests.Onnx;

/// <summary>Bad chains and bad options are refused before anything is written.</summary>
public sealed class OnnxModelWriterValidationTests
{
    private static readonly DenseLayer[] Layers = Autoencoders.Random([4, 2, 4], seed: 3);

    [Fact]
    public void Write_WithNoLayers_ThrowsNamingTheRequirement()
    {
        var error = Assert.Throws<ArgumentException>(() => OnnxModelWriter.ToBytes([], new OnnxExportOptions()));

        Assert.Equal("layers", error.ParamName);
        Assert.Contains("At least one layer", error.Message);
    }

    [Fact]
    public void Write_WithMismatchedWidths_ThrowsNamingBothLayers()
    {
        DenseLayer[] layers = [new(4, 3, relu: true), new(2, 4, relu: false)];

        var error = Assert.Throws<ArgumentException>(() => OnnxModelWriter.ToBytes(layers, new OnnxExportOptions()));

        Assert.Equal("layers", error.ParamName);
        Assert.Contains("Layer 0 has 3 outputs but layer 1 has 2 inputs", error.Message);
    }

    [Fact]
    public void Write_WithNullLayer_Throws()
    {
        DenseLayer[] layers = [new(4, 3, relu: true), null!];

        var error = Assert.Throws<ArgumentException>(() => OnnxModelWriter.ToBytes(layers, new OnnxExportOptions()));

        Assert.Contains("Layer 1 is null", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(12)]
    public void Write_WithOpsetBelow13_ThrowsOutOfRange(int opset)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => OnnxModelWriter.ToBytes(Layers, new OnnxExportOptions { Opset = opset }));

        Assert.Equal(nameof(OnnxExportOptions.Opset), error.ParamName);
    }

    [Fact]
    public void Write_WithOpsetAboveTheKnownTable_ThrowsOutOfRange()
    {
        var options = new OnnxExportOptions { Opset = OnnxExportOptions.MaximumOpset + 1 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => OnnxModelWriter.ToBytes(Layers, options));

        Assert.Equal(nameof(OnnxExportOptions.Opset), error.ParamName);
    }

    public static TheoryData<OnnxExportOptions, string> InvalidOptions => new()
    {
        { new OnnxExportOptions { InputName = "" }, nameof(OnnxExportOptions.InputName) },
        { new OnnxExportOptions { OutputName = " " }, nameof(OnnxExportOptions.OutputName) },
        { new OnnxExportOptions { InputName = "same", OutputName = "same" }, nameof(OnnxExportOptions.OutputName) },
        { new OnnxExportOptions { ProducerName = "" }, nameof(OnnxExportOptions.ProducerName) },
        { new OnnxExportOptions { ModelName = "" }, nameof(OnnxExportOptions.ModelName) },
        { new OnnxExportOptions { InputName = "layer0.weight" }, nameof(OnnxExportOptions.InputName) },
        { new OnnxExportOptions { OutputName = "layer1.bias" }, nameof(OnnxExportOptions.OutputName) },
        { new OnnxExportOptions { InputName = "layer0.relu" }, nameof(OnnxExportOptions.InputName) },
        {
            new OnnxExportOptions { Metadata = new Dictionary<string, string> { [""] = "value" } },
            nameof(OnnxExportOptions.Metadata)
        },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Write_WithInvalidOptions_ThrowsNamingTheOption(OnnxExportOptions options, string option)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => OnnxModelWriter.ToBytes(Layers, options));

        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void Write_WithNullOptions_Throws() =>
        Assert.Throws<ArgumentNullException>(() => OnnxModelWriter.ToBytes(Layers, null!));

    [Fact]
    public void Write_WithInvalidChain_CreatesNoFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"onnx-writer-{Guid.NewGuid():N}.onnx");

        Assert.Throws<ArgumentException>(() => OnnxModelWriter.Write(path, [], new OnnxExportOptions()));

        Assert.False(File.Exists(path));
    }
}
