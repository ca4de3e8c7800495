namespace AnomalyApi.Trainer.Training;

/// <summary>
/// One fully connected layer, y = W·x + b, optionally followed by ReLU. Weights are stored row-major as
/// [Outputs, Inputs], the layout of PyTorch's nn.Linear and of ONNX Gemm with transB = 1, so the exporter
/// writes them as they are.
/// </summary>
public sealed class DenseLayer
{
    /// <summary>Creates a zero-initialised layer.</summary>
    public DenseLayer(int inputs, int outputs, bool relu)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        Inputs = inputs;
        Outputs = outputs;
        Relu = relu;
        Weights = new float[outputs * inputs];
        Bias = new float[outputs];
    }

    /// <summary>Width of the input.</summary>
    public int Inputs { get; }

    /// <summary>Width of the output.</summary>
    public int Outputs { get; }

    /// <summary>Whether ReLU follows the affine map (hidden layers) or not (the linear output layer).</summary>
    public bool Relu { get; }

    /// <summary>Row-major [Outputs, Inputs]: the weight from input i to output o is at o * Inputs + i.</summary>
    public float[] Weights { get; }

    /// <summary>One bias per output.</summary>
    public float[] Bias { get; }
}
