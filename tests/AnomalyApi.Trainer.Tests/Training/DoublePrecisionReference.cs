using AnomalyApi.Trainer.Training;

namespace AnomalyApi.Trainer.Tests.Training;

/// <summary>
/// An independent, naive double-precision forward pass over copies of a network's parameters, to check the
/// float32 implementation's output and, by finite differences, its gradients.
/// </summary>
internal sealed class DoublePrecisionReference
{
    public DoublePrecisionReference(IReadOnlyList<DenseLayer> layers)
    {
        Layers = layers;
        Weights = [.. layers.Select(layer => layer.Weights.Select(w => (double)w).ToArray())];
        Bias = [.. layers.Select(layer => layer.Bias.Select(b => (double)b).ToArray())];
    }

    public IReadOnlyList<DenseLayer> Layers { get; }

    public double[][] Weights { get; }

    public double[][] Bias { get; }

    /// <summary>The smallest |pre-activation| of any ReLU unit over the batch: how far the batch is from a kink.</summary>
    public double SmallestReluInput { get; private set; }

    public double[] Forward(float[] batch, int rows)
    {
        var features = Layers[0].Inputs;
        var output = new double[rows * Layers[^1].Outputs];
        SmallestReluInput = double.PositiveInfinity;
        for (var r = 0; r < rows; r++)
        {
            var activation = batch.Skip(r * features).Take(features).Select(x => (double)x).ToArray();
            for (var l = 0; l < Layers.Count; l++)
            {
                var layer = Layers[l];
                var next = new double[layer.Outputs];
                for (var o = 0; o < layer.Outputs; o++)
                {
                    var z = Bias[l][o];
                    for (var i = 0; i < layer.Inputs; i++)
                    {
                        z += Weights[l][o * layer.Inputs + i] * activation[i];
                    }

                    if (layer.Relu)
                    {
                        SmallestReluInput = Math.Min(SmallestReluInput, Math.Abs(z));
                    }

                    next[o] = layer.Relu ? Math.Max(z, 0) : z;
                }

                activation = next;
            }

            activation.CopyTo(output, r * activation.Length);
        }

        return output;
    }

    /// <summary>Mean of (x - reconstruction)² over all rows and features.</summary>
    public double Loss(float[] batch, int rows)
    {
        var output = Forward(batch, rows);
        return output.Select((y, i) => (y - batch[i]) * (y - batch[i])).Sum() / output.Length;
    }
}
