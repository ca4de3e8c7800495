using System.Buffers.Binary;
using AnomalyApi.Core.Onnx.Proto;
using Google.Protobuf;

namespace AnomalyApi.Trainer.Onnx;

/// <summary>Small factories for the protobuf messages a graph is made of, so the writer reads as the graph it builds.</summary>
internal static class OnnxGraphParts
{
    /// <summary>The symbolic name of the batch dimension, shared by input and output so runtimes see they match.</summary>
    public const string BatchDimension = "batch";

    private const int Float = (int)TensorProto.Types.DataType.Float;

    /// <summary>A float32 [batch, <paramref name="features"/>] graph input or output.</summary>
    public static ValueInfoProto BatchOfVectors(string name, int features) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = Float,
                Shape = new TensorShapeProto
                {
                    Dim =
                    {
                        new TensorShapeProto.Types.Dimension { DimParam = BatchDimension },
                        new TensorShapeProto.Types.Dimension { DimValue = features },
                    },
                },
            },
        },
    };

    /// <summary>
    /// A float32 initializer. Values go to raw_data rather than float_data: packed float_data costs the same
    /// 4 bytes a value, but raw_data is one opaque blob that runtimes copy without decoding element by
    /// element, and it is what torch.onnx.export and onnx.numpy_helper write.
    /// </summary>
    public static TensorProto FloatTensor(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        // raw_data is little-endian by definition; BinaryPrimitives keeps that true on any host.
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        var tensor = new TensorProto
        {
            Name = name,
            DataType = Float,
            // The array is ours and never touched again, so wrapping it saves a copy of every weight.
            RawData = UnsafeByteOperations.UnsafeWrap(bytes),
        };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>An INT attribute.</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A FLOAT attribute.</summary>
    public static AttributeProto Float32(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };
}
