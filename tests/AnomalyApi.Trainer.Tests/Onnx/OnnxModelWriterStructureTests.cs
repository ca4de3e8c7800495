using AnomalyApi.Trainer.Onnx;
using AnomalyApi.Core.Onnx.Proto;
using AnomalyApi.Trainer.Training;

namespace AnomalyApi.Trainer.Tests.Onnx;

/// <summary>Parses the written bytes back with the generated ModelProto parser and checks the graph field by field.</summary>
public sealed class OnnxModelWriterStructureTests
{
    private const int FloatType = (int)TensorProto.Types.DataType.Float;

    private static readonly DenseLayer[] Layers = Autoencoders.Random(Autoencoders.ProductionWidths, seed: 7);

    private static ModelProto WriteAndParse(IReadOnlyList<DenseLayer> layers, OnnxExportOptions options) =>
        ModelProto.Parser.ParseFrom(OnnxModelWriter.ToBytes(layers, options));

    [Fact]
    public void Write_WithDefaultOptions_StampsOpset17DefaultDomainAndIr8()
    {
        var model = WriteAndParse(Layers, new OnnxExportOptions());

        var opset = Assert.Single(model.OpsetImport);
        Assert.Equal("", opset.Domain);
        Assert.Equal(17, opset.Version);
        Assert.Equal(8, model.IrVersion);
        Assert.Equal("anomaly-trainer", model.ProducerName);
    }

    [Theory]
    [InlineData(13, 7)]
    [InlineData(14, 7)]
    [InlineData(15, 8)]
    [InlineData(18, 8)]
    [InlineData(19, 9)]
    [InlineData(21, 10)]
    [InlineData(23, 11)]
    public void Write_WithOpset_StampsTheIrVersionReleasedWithIt(int opset, long irVersion)
    {
        var model = WriteAndParse(Layers, new OnnxExportOptions { Opset = opset });

        Assert.Equal(opset, Assert.Single(model.OpsetImport).Version);
        Assert.Equal(irVersion, model.IrVersion);
    }

    [Fact]
    public void Write_WithDefaultOptions_NamesInputXAndOutputReconstruction()
    {
        var graph = WriteAndParse(Layers, new OnnxExportOptions()).Graph;

        Assert.Equal("x", Assert.Single(graph.Input).Name);
        Assert.Equal("reconstruction", Assert.Single(graph.Output).Name);
        Assert.Equal("reconstruction", Assert.Single(graph.Node[^1].Output));
    }

    [Fact]
    public void Write_WithThreeLayers_DeclaresSymbolicBatchDimension()
    {
        var layers = Autoencoders.Random([5, 4, 3, 6], seed: 1);

        var graph = WriteAndParse(layers, new OnnxExportOptions()).Graph;

        AssertBatchOfFloats(Assert.Single(graph.Input), features: 5);
        AssertBatchOfFloats(Assert.Single(graph.Output), features: 6);
    }

    [Fact]
    public void Write_WithProductionNetwork_WritesWeightAndBiasInitializersPerLayer()
    {
        var graph = WriteAndParse(Layers, new OnnxExportOptions()).Graph;

        Assert.Equal(2 * Layers.Length, graph.Initializer.Count);
        for (var i = 0; i < Layers.Length; i++)
        {
            var weight = Assert.Single(graph.Initializer, t => t.Name == $"layer{i}.weight");
            var bias = Assert.Single(graph.Initializer, t => t.Name == $"layer{i}.bias");
            Assert.Equal(new long[] { Layers[i].Outputs, Layers[i].Inputs }, weight.Dims);
            Assert.Equal(new long[] { Layers[i].Outputs }, bias.Dims);
            Assert.Equal(FloatType, weight.DataType);
            Assert.Equal(FloatType, bias.DataType);
        }
    }

    [Fact]
    public void Write_WithAnyLayer_StoresWeightsAsLittleEndianRawData()
    {
        var layer = new DenseLayer(inputs: 2, outputs: 2, relu: false);
        float[] weights = [1.5f, -2f, 0.25f, 3f];
        weights.CopyTo(layer.Weights);

        var weight = WriteAndParse([layer], new OnnxExportOptions()).Graph.Initializer[0];

        Assert.Empty(weight.FloatData);
        Assert.Equal(weights.Length * sizeof(float), weight.RawData.Length);
        var decoded = Enumerable.Range(0, weights.Length)
            .Select(i => BitConverter.ToSingle(weight.RawData.Span.Slice(i * 4, 4)))
            .ToArray();
        Assert.Equal(weights, decoded);
    }

    [Fact]
    public void Write_WithProductionNetwork_ChainsGemmAndReluNodesLikeNnLinear()
    {
        var graph = WriteAndParse(Layers, new OnnxExportOptions()).Graph;

        // Eight Gemm nodes, and a Relu after each but the last.
        var expected = Enumerable.Repeat(new[] { "Gemm", "Relu" }, Layers.Length - 1).SelectMany(pair => pair).Append("Gemm");
        Assert.Equal(expected, graph.Node.Select(n => n.OpType));
        Assert.Equal(new[] { "x", "layer0.weight", "layer0.bias" }, graph.Node[0].Input);
        foreach (var gemm in graph.Node.Where(n => n.OpType == "Gemm"))
        {
            Assert.Equal(1f, Assert.Single(gemm.Attribute, a => a.Name == "alpha").F);
            Assert.Equal(1f, Assert.Single(gemm.Attribute, a => a.Name == "beta").F);
            var transB = Assert.Single(gemm.Attribute, a => a.Name == "transB");
            Assert.Equal(AttributeProto.Types.AttributeType.Int, transB.Type);
            Assert.Equal(1, transB.I);
        }

        // Each node reads what the one before it wrote.
        for (var n = 1; n < graph.Node.Count; n++)
        {
            Assert.Equal(graph.Node[n - 1].Output[0], graph.Node[n].Input[0]);
        }
    }

    [Fact]
    public void Write_WithReluOnLastLayer_EndsWithReluWritingTheOutput()
    {
        var layers = new[] { new DenseLayer(3, 2, relu: true) };

        var graph = WriteAndParse(layers, new OnnxExportOptions()).Graph;

        Assert.Equal(new[] { "Gemm", "Relu" }, graph.Node.Select(n => n.OpType));
        Assert.Equal("reconstruction", Assert.Single(graph.Node[1].Output));
    }

    [Fact]
    public void Write_WithCustomOptions_WritesNamesDocStringAndMetadata()
    {
        var options = new OnnxExportOptions
        {
            InputName = "features",
            OutputName = "restored",
            ProducerVersion = "9.8.7",
            ModelName = "network-autoencoder",
            DocString = "Trained on capture 42.",
            Metadata = new Dictionary<string, string> { ["threshold"] = "0.125", ["features"] = "38" },
        };

        var model = WriteAndParse(Layers, options);

        Assert.Equal("features", model.Graph.Input[0].Name);
        Assert.Equal("restored", model.Graph.Output[0].Name);
        Assert.Equal("9.8.7", model.ProducerVersion);
        Assert.Equal("network-autoencoder", model.Graph.Name);
        Assert.Equal("Trained on capture 42.", model.DocString);
        Assert.Equal(
            new Dictionary<string, string> { ["threshold"] = "0.125", ["features"] = "38" },
            model.MetadataProps.ToDictionary(p => p.Key, p => p.Value));
    }

    private static void AssertBatchOfFloats(ValueInfoProto value, int features)
    {
        var tensor = value.Type.TensorType;
        Assert.Equal(FloatType, tensor.ElemType);
        Assert.Collection(
            tensor.Shape.Dim,
            batch =>
            {
                Assert.Equal(TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam, batch.ValueCase);
                Assert.Equal("batch", batch.DimParam);
            },
            width =>
            {
                Assert.Equal(TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue, width.ValueCase);
                Assert.Equal(features, width.DimValue);
            });
    }
}
