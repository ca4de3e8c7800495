using Microsoft.ML.OnnxRuntime;

namespace AnomalyApi.Core.Scoring;

/// <summary>
/// The buffers one ONNX run needs for a fixed number of rows: pinned input and output arrays, the OrtValues
/// that wrap them and an <see cref="OrtIoBinding"/> that binds both to the session, all created once. A call
/// rents one, fills the input, runs the binding straight into the preallocated output and returns it, so the
/// hot path allocates nothing at all: not even the name/handle arrays <c>InferenceSession.Run</c> builds per call.
/// </summary>
internal sealed class ScoringWorkspace : IDisposable
{
    public ScoringWorkspace(InferenceSession session, string inputName, string outputName, int rows, int inputFeatures, int outputFeatures)
    {
        Rows = rows;
        // Pinned on the POH: ONNX Runtime reads and writes these through raw pointers for the
        // workspace's whole life, and the GC must never move them.
        Input = GC.AllocateArray<float>(rows * inputFeatures, pinned: true);
        Output = GC.AllocateArray<float>(rows * outputFeatures, pinned: true);
        InputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Input.AsMemory(), [rows, inputFeatures]);
        OutputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Output.AsMemory(), [rows, outputFeatures]);
        Binding = session.CreateIoBinding();
        Binding.BindInput(inputName, InputValue);
        Binding.BindOutput(outputName, OutputValue);
    }

    public int Rows { get; }

    public float[] Input { get; }

    public float[] Output { get; }

    public OrtValue InputValue { get; }

    public OrtValue OutputValue { get; }

    /// <summary>Input and output bound once; run it with <see cref="InferenceSession.RunWithBinding"/>.</summary>
    public OrtIoBinding Binding { get; }

    public void Dispose()
    {
        Binding.Dispose();
        InputValue.Dispose();
        OutputValue.Dispose();
    }
}
