using AnomalyApi.Core.Onnx.Proto;
using AnomalyApi.Trainer.Training;
using Google.Protobuf;
using static AnomalyApi.Trainer.Onnx.OnnxGraphParts;

namespace AnomalyApi.Trainer.Onnx;

/// <summary>
/// Writes a chain of <see cref="DenseLayer"/>s as an ONNX model: one Gemm per layer (alpha 1, beta 1,
/// transB 1, which is how PyTorch exports nn.Linear) followed by Relu where the layer has one. The input
/// and output keep a symbolic batch dimension, so one file scores a single row or a whole batch.
/// </summary>
public static class OnnxModelWriter
{
    /// <summary>Builds the model and writes it to <paramref name="path"/>, replacing any file there.</summary>
    /// <exception cref="ArgumentException">The layers do not form a chain, or an option is invalid.</exception>
    public static void Write(string path, IReadOnlyList<DenseLayer> layers, OnnxExportOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = ToBytes(layers, options);

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // Write beside the target and rename, so a service watching the path never loads half a model.
        var temporary = path + ".tmp";
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>The serialized ModelProto, as <see cref="Write"/> would store it.</summary>
    /// <exception cref="ArgumentException">The layers do not form a chain, or an option is invalid.</exception>
    public static byte[] ToBytes(IReadOnlyList<DenseLayer> layers, OnnxExportOptions options) =>
        Build(layers, options).ToByteArray();

    /// <summary>The model as a protobuf message (internal because the generated types are).</summary>
    internal static ModelProto Build(IReadOnlyList<DenseLayer> layers, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ValidateChain(layers);

        var graph = new GraphProto
        {
            Name = options.ModelName,
            Input = { BatchOfVectors(options.InputName, layers[0].Inputs) },
            Output = { BatchOfVectors(options.OutputName, layers[^1].Outputs) },
        };

        var current = options.InputName;
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var last = i == layers.Count - 1;
            var weight = $"layer{i}.weight";
            var bias = $"layer{i}.bias";
            graph.Initializer.Add(FloatTensor(weight, layer.Weights, layer.Outputs, layer.Inputs));
            graph.Initializer.Add(FloatTensor(bias, layer.Bias, layer.Outputs));

            // The last node writes the graph output itself, so no Identity node is needed at the end.
            var linear = last && !layer.Relu ? options.OutputName : $"layer{i}.linear";
            graph.Node.Add(new NodeProto
            {
                Name = $"layer{i}.Gemm",
                OpType = "Gemm",
                Input = { current, weight, bias },
                Output = { linear },
                Attribute = { Float32("alpha", 1f), Float32("beta", 1f), Int("transB", 1) },
            });
            current = linear;

            if (layer.Relu)
            {
                var activated = last ? options.OutputName : $"layer{i}.relu";
                graph.Node.Add(new NodeProto
                {
                    Name = $"layer{i}.Relu",
                    OpType = "Relu",
                    Input = { current },
                    Output = { activated },
                });
                current = activated;
            }
        }

        EnsureNamesAreFree(graph, options);

        var model = new ModelProto
        {
            IrVersion = OnnxIrVersion.ForOpset(options.Opset),
            // The empty domain is the default ai.onnx operator set, where Gemm and Relu live.
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = options.Opset } },
            ProducerName = options.ProducerName,
            ProducerVersion = options.ProducerVersion,
            Graph = graph,
        };
        if (!string.IsNullOrEmpty(options.DocString))
        {
            model.DocString = options.DocString;
        }

        foreach (var (key, value) in options.Metadata ?? new Dictionary<string, string>())
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private static void ValidateChain(IReadOnlyList<DenseLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
        {
            throw new ArgumentException("At least one layer is required.", nameof(layers));
        }

        for (var i = 0; i < layers.Count; i++)
        {
            if (layers[i] is null)
            {
                throw new ArgumentException($"Layer {i} is null.", nameof(layers));
            }

            if (i > 0 && layers[i - 1].Outputs != layers[i].Inputs)
            {
                throw new ArgumentException(
                    $"Layer {i - 1} has {layers[i - 1].Outputs} outputs but layer {i} has {layers[i].Inputs} inputs.",
                    nameof(layers));
            }
        }
    }

    // An input or output named like one of our generated values (say "layer0.weight") would make the
    // graph ambiguous; ONNX Runtime would reject it at load time with a less helpful message.
    private static void EnsureNamesAreFree(GraphProto graph, OnnxExportOptions options)
    {
        var generated = graph.Initializer.Select(t => t.Name)
            .Concat(graph.Node.SelectMany(n => n.Output).Where(o => o != options.OutputName));
        foreach (var name in generated)
        {
            if (name == options.InputName || name == options.OutputName)
            {
                throw new ArgumentException(
                    $"The name '{name}' is used by the exporter for a weight or an intermediate value.",
                    name == options.InputName ? nameof(options.InputName) : nameof(options.OutputName));
            }
        }
    }
}
