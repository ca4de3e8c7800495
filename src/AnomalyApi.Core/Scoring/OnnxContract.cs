using AnomalyApi.Core.Configuration;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AnomalyApi.Core.Scoring;

/// <summary>
/// Checks that an ONNX session has the shape <c>model_config.json</c> promises: exactly one input and one
/// output with the config's names, float32 tensors of rank 2 whose last dimension is the feature count.
/// A model that disagrees would otherwise fail on the first request, or worse, score garbage.
/// </summary>
internal static class OnnxContract
{
    public static void Check(InferenceSession session, ModelConfig config, string onnxPath)
    {
        CheckSingle(session.InputMetadata, config.InputName, ModelConfigKeys.InputName, "input", config, onnxPath);
        CheckSingle(session.OutputMetadata, config.OutputName, ModelConfigKeys.OutputName, "output", config, onnxPath);
    }

    private static void CheckSingle(
        IReadOnlyDictionary<string, NodeMetadata> nodes, string expectedName, string key, string role,
        ModelConfig config, string onnxPath)
    {
        if (!nodes.TryGetValue(expectedName, out var node))
        {
            throw new ModelLoadException(onnxPath, key,
                $"the config names {role} '{expectedName}', but the ONNX model's {role}s are [{string.Join(", ", nodes.Keys)}]");
        }
        if (nodes.Count != 1)
        {
            throw new ModelLoadException(onnxPath, key,
                $"the ONNX model has {nodes.Count} {role}s [{string.Join(", ", nodes.Keys)}]; exactly one is supported");
        }
        if (!node.IsTensor || node.ElementDataType != TensorElementType.Float)
        {
            throw new ModelLoadException(onnxPath, key,
                $"{role} '{expectedName}' has element type {node.ElementDataType}, but float32 is required");
        }
        var dimensions = node.Dimensions;
        if (dimensions.Length != 2)
        {
            throw new ModelLoadException(onnxPath, key,
                $"{role} '{expectedName}' has rank {dimensions.Length} [{string.Join(", ", dimensions)}], but [batch, features] is required");
        }
        if (dimensions[^1] != config.FeatureCount)
        {
            throw new ModelLoadException(onnxPath, key,
                $"{role} '{expectedName}' has last dimension {dimensions[^1]}, but the config lists {config.FeatureCount} features");
        }
    }
}
