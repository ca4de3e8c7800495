using AnomalyApi.Core.Onnx.Proto;
using Google.Protobuf;

namespace AnomalyApi.Core.Onnx;

/// <summary>Reads which ONNX operator set a model file imports (ONNX Runtime's API does not expose it).</summary>
internal static class OnnxOpset
{
    /// <summary>The default domain's opset version, or null when the bytes declare none or do not parse.</summary>
    public static long? TryRead(byte[] onnxBytes)
    {
        try
        {
            var model = ModelProto.Parser.ParseFrom(onnxBytes);
            // The default domain is written as "" or, by some exporters, "ai.onnx".
            return model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
