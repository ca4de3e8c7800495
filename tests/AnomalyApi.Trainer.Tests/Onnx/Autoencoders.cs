using AnomalyApi.Trainer.Training;

namespace AnomalyApi.Trainer.Tests.Onnx;

/// <summary>Seeded random networks and an independent forward pass to check exported models against.</summary>
internal static class Autoencoders
{
    /// <summary>The production shape: 38 features squeezed to 3 and back.</summary>
    public static readonly int[] ProductionWidths = [38, 28, 19, 9, 3, 9, 19, 28, 38];

    /// <summary>Layers between consecutive widths, ReLU on all but the last, weights scaled by 1/sqrt(fan-in).</summary>
    public static DenseLayer[] Random(int[] widths, int seed)
    {
        var random = new Random(seed);
        var layers = new DenseLayer[widths.Length - 1];
        for (var i = 0; i < layers.Length; i++)
        {
            var layer = new DenseLayer(widths[i], widths[i + 1], relu: i < layers.Length - 1);
            var scale = 2.0 / Math.Sqrt(layer.Inputs);
            for (var w = 0; w < layer.Weights.Length; w++)
            {
                layer.Weights[w] = (float)((random.NextDouble() - 0.5) * scale);
            }

            for (var b = 0; b < layer.Bias.Length; b++)
            {
                layer.Bias[b] = (float)(random.NextDouble() - 0.5);
            }

            layers[i] = layer;
        }

        return layers;
    }

    /// <summary>Row-major [rows, features] values in [-2, 2).</summary>
    public static float[] RandomBatch(int rows, int features, int seed)
    {
        var random = new Random(seed);
        var batch = new float[rows * features];
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i] = (float)(random.NextDouble() * 4 - 2);
        }

        return batch;
    }

    /// <summary>
    /// y = W·x + b then ReLU, layer by layer, with plain loops over the documented weight layout
    /// (o * Inputs + i), accumulated in double so it is the more precise side of the comparison.
    /// </summary>
    public static float[] Forward(IReadOnlyList<DenseLayer> layers, float[] batch, int rows)
    {
        var current = batch;
        foreach (var layer in layers)
        {
            var next = new float[rows * layer.Outputs];
            for (var r = 0; r < rows; r++)
            {
                for (var o = 0; o < layer.Outputs; o++)
                {
                    double sum = layer.Bias[o];
                    for (var i = 0; i < layer.Inputs; i++)
                    {
                        sum += (double)layer.Weights[o * layer.Inputs + i] * current[r * layer.Inputs + i];
                    }

                    next[r * layer.Outputs + o] = layer.Relu && sum < 0 ? 0f : (float)sum;
                }
            }

            current = next;
        }

        return current;
    }
}
