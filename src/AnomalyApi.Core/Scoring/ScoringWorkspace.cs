using Microsoft.ML.OnnxRuntime;

namespace AnomalyApi.Core.Scoring;

/// <summary>
/// The buffers one ONNX run needs for a fixed number of rows: pinned input and output arrays and the
/// OrtValues that wrap them, created once. A call rents one, fills the input, runs the session straight
/// into the preallocated output and returns it, so the hot path allocates no tensors at all.
/// </summary>
internal sealed class ScoringWorkspace : IDisposable
{
    public ScoringWorkspace(int rows, int inputFeatures, int outputFeatures)
    {
        Rows = rows;
        // Pinned on the POH: ONNX Runtime reads and writes these through raw pointers for the
        // workspace's whole life, and the GC must never move them.
        Input = GC.AllocateArray<float>(rows * inputFeatures, pinned: true);
        Output = GC.AllocateArray<float>(rows * outputFeatures, pinned: true);
        InputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Input.AsMemory(), [rows, inputFeatures]);
        OutputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Output.AsMemory(), [rows, outputFeatures]);
        Inputs = [InputValue];
        Outputs = [OutputValue];
    }

    public int Rows { get; }

    public float[] Input { get; }

    public float[] Output { get; }

    public OrtValue InputValue { get; }

    public OrtValue OutputValue { get; }

    /// <summary>The one-element lists <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue})"/> takes, kept to avoid allocating them per run.</summary>
    public OrtValue[] Inputs { get; }

    /// <summary>See <see cref="Inputs"/>.</summary>
    public OrtValue[] Outputs { get; }

    public void Dispose()
    {
        InputValue.Dispose();
        OutputValue.Dispose();
    }
}
