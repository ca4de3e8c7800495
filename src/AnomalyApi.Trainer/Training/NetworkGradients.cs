namespace AnomalyApi.Trainer.Training;

/// <summary>
/// Gradients of the loss for every parameter of a network, laid out exactly like the layers they belong to:
/// <c>Weights[l]</c> is row-major [Outputs, Inputs] like <see cref="DenseLayer.Weights"/>, <c>Bias[l]</c> like
/// <see cref="DenseLayer.Bias"/>.
/// </summary>
public sealed class NetworkGradients
{
    /// <summary>Allocates zeroed gradients shaped like <paramref name="layers"/>.</summary>
    public NetworkGradients(IReadOnlyList<DenseLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        Weights = [.. layers.Select(layer => new float[layer.Weights.Length])];
        Bias = [.. layers.Select(layer => new float[layer.Bias.Length])];
    }

    /// <summary>Weight gradients, one array per layer.</summary>
    public IReadOnlyList<float[]> Weights { get; }

    /// <summary>Bias gradients, one array per layer.</summary>
    public IReadOnlyList<float[]> Bias { get; }

    /// <summary>Throws unless these gradients are shaped like <paramref name="layers"/>.</summary>
    internal void EnsureShapeOf(IReadOnlyList<DenseLayer> layers)
    {
        var matches = layers.Count == Weights.Count
            && layers.Select((layer, i) => layer.Weights.Length == Weights[i].Length && layer.Bias.Length == Bias[i].Length)
                .All(ok => ok);
        if (!matches)
        {
            throw new ArgumentException("The gradients were allocated for a network of another shape.");
        }
    }
}
