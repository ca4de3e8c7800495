using System.Numerics.Tensors;

namespace AnomalyApi.Trainer.Training;

/// <summary>
/// Adam (Kingma and Ba, 2015) with bias correction, updating the layers in place. The update is PyTorch's:
/// p -= lr / (1 - β1ᵗ) · m / (√v / √(1 - β2ᵗ) + ε).
/// </summary>
public sealed class AdamOptimizer
{
    private readonly IReadOnlyList<DenseLayer> _layers;
    private readonly NetworkGradients _firstMoment;
    private readonly NetworkGradients _secondMoment;
    private readonly float[] _scratch;
    private readonly float _beta1;
    private readonly float _beta2;
    private readonly float _epsilon;

    /// <summary>Creates an optimiser for <paramref name="layers"/> with zeroed moment estimates.</summary>
    /// <param name="layers">The parameters to update.</param>
    /// <param name="learningRate">Step size, 1e-3 by default (Keras' and PyTorch's default).</param>
    /// <param name="beta1">Decay of the first moment estimate.</param>
    /// <param name="beta2">Decay of the second moment estimate.</param>
    /// <param name="epsilon">Added to the denominator for numerical stability.</param>
    public AdamOptimizer(
        IReadOnlyList<DenseLayer> layers, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        ArgumentOutOfRangeException.ThrowIfNegative(beta1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(beta1, 1f);
        ArgumentOutOfRangeException.ThrowIfNegative(beta2);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(beta2, 1f);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);

        _layers = layers;
        LearningRate = learningRate;
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
        _firstMoment = new NetworkGradients(layers);
        _secondMoment = new NetworkGradients(layers);
        _scratch = new float[layers.Max(layer => layer.Weights.Length)];
    }

    /// <summary>The step size.</summary>
    public float LearningRate { get; }

    /// <summary>Number of steps taken so far (t in the bias corrections).</summary>
    public int Steps { get; private set; }

    /// <summary>Moves every parameter one Adam step against <paramref name="gradients"/>.</summary>
    public void Step(NetworkGradients gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        gradients.EnsureShapeOf(_layers);

        Steps++;
        var stepSize = (float)(LearningRate / (1 - Math.Pow(_beta1, Steps)));
        var denominatorScale = (float)(1 / Math.Sqrt(1 - Math.Pow(_beta2, Steps)));
        for (var l = 0; l < _layers.Count; l++)
        {
            Update(_layers[l].Weights, gradients.Weights[l], _firstMoment.Weights[l], _secondMoment.Weights[l], stepSize, denominatorScale);
            Update(_layers[l].Bias, gradients.Bias[l], _firstMoment.Bias[l], _secondMoment.Bias[l], stepSize, denominatorScale);
        }
    }

    private void Update(Span<float> parameters, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, float stepSize, float denominatorScale)
    {
        var scratch = _scratch.AsSpan(0, parameters.Length);

        // m = β1 m + (1 - β1) g
        TensorPrimitives.Multiply(m, _beta1, m);
        TensorPrimitives.MultiplyAdd(gradient, 1 - _beta1, m, m);

        // v = β2 v + (1 - β2) g²
        TensorPrimitives.Multiply(gradient, gradient, scratch);
        TensorPrimitives.Multiply(v, _beta2, v);
        TensorPrimitives.MultiplyAdd(scratch, 1 - _beta2, v, v);

        // p -= stepSize · m / (√v · denominatorScale + ε)
        TensorPrimitives.Sqrt(v, scratch);
        TensorPrimitives.Multiply(scratch, denominatorScale, scratch);
        TensorPrimitives.Add(scratch, _epsilon, scratch);
        TensorPrimitives.Divide(m, scratch, scratch);
        TensorPrimitives.MultiplyAdd(scratch, -stepSize, parameters, parameters);
    }
}
