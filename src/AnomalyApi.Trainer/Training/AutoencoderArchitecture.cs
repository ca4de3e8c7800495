namespace AnomalyApi.Trainer.Training;

/// <summary>
/// The autoencoder's shape: encoder F → ⌊0.75F⌋ → ⌊0.5F⌋ → ⌊0.25F⌋ → ⌊0.1F⌋ (each at least 1) and a mirrored
/// decoder back to F, with ReLU on every hidden layer and a linear output layer.
/// </summary>
public static class AutoencoderArchitecture
{
    /// <summary>
    /// The widths of every activation, input and output included: for 38 features
    /// [38, 28, 19, 9, 3, 9, 19, 28, 38], i.e. eight dense layers.
    /// </summary>
    /// <param name="features">Number of input features, at least 1.</param>
    public static IReadOnlyList<int> LayerWidths(int features)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);

        // Integer division is the seed pipeline's int(ratio * F): 0.75, 0.5 and 0.25 are exact in binary, and
        // the double nearest 0.1 is slightly above it, so int(0.1 * F) never rounds below F / 10 either.
        int[] encoder = [features, 3 * features / 4, features / 2, features / 4, features / 10];
        for (var i = 1; i < encoder.Length; i++)
        {
            encoder[i] = Math.Max(1, encoder[i]);
        }

        return [.. encoder, .. encoder[..^1].Reverse()];
    }

    /// <summary>
    /// Creates the layers with PyTorch's nn.Linear default initialisation: weights and biases drawn from
    /// U(-1/√fan_in, 1/√fan_in) (kaiming_uniform_ with a = √5), so a run starts where the seed pipeline's did.
    /// </summary>
    /// <param name="features">Number of input features, at least 1.</param>
    /// <param name="seed">Seed of the <see cref="Random"/> that draws the weights; equal seeds give equal layers.</param>
    public static IReadOnlyList<DenseLayer> Create(int features, int seed)
    {
        var widths = LayerWidths(features);
        var random = new Random(seed);
        var layers = new DenseLayer[widths.Count - 1];
        for (var i = 0; i < layers.Length; i++)
        {
            // Every layer but the last is hidden and gets ReLU; the output stays linear.
            var layer = new DenseLayer(widths[i], widths[i + 1], relu: i < layers.Length - 1);
            var bound = 1.0 / Math.Sqrt(layer.Inputs);
            Fill(layer.Weights, random, bound);
            Fill(layer.Bias, random, bound);
            layers[i] = layer;
        }

        return layers;
    }

    private static void Fill(Span<float> values, Random random, double bound)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((2.0 * random.NextDouble() - 1.0) * bound);
        }
    }
}
