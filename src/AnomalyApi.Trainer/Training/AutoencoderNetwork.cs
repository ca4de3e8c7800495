using System.Numerics.Tensors;

namespace AnomalyApi.Trainer.Training;

/// <summary>
/// A stack of <see cref="DenseLayer"/>s run in float32 with <see cref="TensorPrimitives"/>: the inference
/// forward pass, the training forward pass that keeps activations, and the backward pass of the mean squared
/// reconstruction error. Batches are row-major [rows, features].
/// </summary>
/// <remarks>
/// The maths is single-threaded and uses only element-wise primitives (no SIMD reductions such as Dot, whose
/// summation order depends on the address of the data), so a given seed gives bit-identical results run after
/// run on one machine. Another CPU may pick a different vector width or fused multiply-add and differ in the
/// last bits. An instance caches transposed weights, so it is not safe to use from several threads at once.
/// </remarks>
public sealed class AutoencoderNetwork
{
    // Bounds the scratch memory of the inference passes however many rows are scored.
    private const int ChunkRows = 256;

    private readonly DenseLayer[] _layers;
    private readonly float[][] _transposed;
    private readonly int[] _widths;

    /// <summary>Wraps layers whose widths chain (each layer's Inputs is the previous layer's Outputs).</summary>
    /// <param name="layers">The layers, first to last; they are used, not copied, so training updates them.</param>
    public AutoencoderNetwork(IReadOnlyList<DenseLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        for (var i = 1; i < layers.Count; i++)
        {
            if (layers[i].Inputs != layers[i - 1].Outputs)
            {
                throw new ArgumentException(
                    $"Layer {i} takes {layers[i].Inputs} inputs but layer {i - 1} gives {layers[i - 1].Outputs}.",
                    nameof(layers));
            }
        }

        _layers = [.. layers];
        _widths = [layers[0].Inputs, .. layers.Select(layer => layer.Outputs)];
        _transposed = [.. layers.Select(layer => new float[layer.Weights.Length])];
    }

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<DenseLayer> Layers => _layers;

    /// <summary>Width of the input.</summary>
    public int Features => _widths[0];

    /// <summary>Width of the output (equal to <see cref="Features"/> for an autoencoder).</summary>
    public int Outputs => _widths[^1];

    /// <summary>Computes the network's output for a batch.</summary>
    /// <param name="batch">Row-major [rows, Features].</param>
    /// <param name="rows">Number of rows in the batch.</param>
    /// <param name="output">Receives row-major [rows, Outputs].</param>
    public void Forward(ReadOnlySpan<float> batch, int rows, Span<float> output)
    {
        CheckBatch(batch, rows);
        if (output.Length < rows * Outputs)
        {
            throw new ArgumentException($"The output needs room for {rows} x {Outputs} values.", nameof(output));
        }

        RefreshTransposedWeights();
        var scratch = new ScratchPair(Math.Min(rows, ChunkRows), _widths.Max());
        for (var start = 0; start < rows; start += ChunkRows)
        {
            var count = Math.Min(ChunkRows, rows - start);
            ForwardChunk(batch.Slice(start * Features, count * Features), count, output.Slice(start * Outputs, count * Outputs), scratch);
        }
    }

    /// <summary>The reconstruction loss: mean of (x - reconstruction)² over all rows and features.</summary>
    /// <param name="batch">Row-major [rows, Features].</param>
    /// <param name="rows">Number of rows in the batch.</param>
    public float Loss(ReadOnlySpan<float> batch, int rows)
    {
        var sum = 0.0;
        ReconstructInChunks(batch, rows, (input, reconstruction, _) => sum += SquaredError(input, reconstruction));
        return (float)(sum / ((double)rows * Features));
    }

    /// <summary>The anomaly score of every row: sqrt(mean((x - reconstruction)²)) over its features.</summary>
    /// <param name="batch">Row-major [rows, Features].</param>
    /// <param name="rows">Number of rows in the batch.</param>
    /// <param name="rmse">Receives one score per row.</param>
    public void ReconstructionErrors(ReadOnlySpan<float> batch, int rows, Span<float> rmse)
    {
        if (rmse.Length < rows)
        {
            throw new ArgumentException($"The destination needs room for {rows} scores.", nameof(rmse));
        }

        var scores = new float[rows];
        ReconstructInChunks(batch, rows, (input, reconstruction, row) =>
            scores[row] = (float)Math.Sqrt(SquaredError(input, reconstruction) / input.Length));
        scores.CopyTo(rmse);
    }

    /// <summary>The forward pass of training: like <see cref="Forward"/>, but every activation is kept in
    /// <paramref name="trace"/> for <see cref="Backward"/>.</summary>
    /// <param name="batch">Row-major [rows, Features].</param>
    /// <param name="rows">Number of rows in the batch.</param>
    /// <param name="trace">Receives the activations; reused across batches.</param>
    public void ForwardTraining(ReadOnlySpan<float> batch, int rows, ForwardTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        CheckBatch(batch, rows);
        RefreshTransposedWeights();
        trace.Prepare(_widths, rows);
        batch[..(rows * Features)].CopyTo(trace.Activations[0]);
        for (var l = 0; l < _layers.Length; l++)
        {
            LayerForward(l, trace.Activations[l].AsSpan(0, rows * _widths[l]), rows, trace.Activations[l + 1].AsSpan(0, rows * _widths[l + 1]));
        }
    }

    /// <summary>
    /// Back-propagates the reconstruction loss of the batch last passed through <see cref="ForwardTraining"/>:
    /// fills <paramref name="gradients"/> with d(loss)/d(parameter) for every weight and bias, where the loss is
    /// the mean of (x - reconstruction)² over all rows and features and the target is the input itself.
    /// </summary>
    /// <param name="trace">The activations of the forward pass, from the same network and unchanged weights.</param>
    /// <param name="gradients">Overwritten with the gradients.</param>
    /// <returns>The batch's loss.</returns>
    public float Backward(ForwardTrace trace, NetworkGradients gradients)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(gradients);
        gradients.EnsureShapeOf(_layers);
        if (trace.Rows == 0 || trace.Activations.Length != _widths.Length || Outputs != Features)
        {
            throw new InvalidOperationException("Run ForwardTraining on this autoencoder before Backward.");
        }

        var rows = trace.Rows;
        var count = rows * Features;
        var input = trace.Activations[0].AsSpan(0, count);
        var delta = trace.Delta.AsSpan(0, count);

        // d(loss)/d(output) = 2 (output - input) / (rows * features).
        TensorPrimitives.Subtract(trace.Activations[^1].AsSpan(0, count), input, delta);
        var loss = SquaredError(delta) / count;
        TensorPrimitives.Multiply(delta, 2f / count, delta);

        for (var l = _layers.Length - 1; l >= 0; l--)
        {
            var layer = _layers[l];
            var layerInput = trace.Activations[l].AsSpan(0, rows * layer.Inputs);
            delta = trace.Delta.AsSpan(0, rows * layer.Outputs);
            if (layer.Relu)
            {
                // ReLU passes the gradient only where it was active; at exactly 0 it counts as inactive, as in PyTorch.
                MaskInactive(delta, trace.Activations[l + 1].AsSpan(0, rows * layer.Outputs));
            }

            AccumulateParameterGradients(layer, layerInput, delta, rows, gradients.Weights[l], gradients.Bias[l]);
            if (l > 0)
            {
                PropagateToInput(layer, delta, rows, trace.DeltaPrevious.AsSpan(0, rows * layer.Inputs));
                trace.SwapDeltas();
            }
        }

        return (float)loss;
    }

    private static void AccumulateParameterGradients(
        DenseLayer layer, ReadOnlySpan<float> input, ReadOnlySpan<float> delta, int rows, Span<float> weightGradient, Span<float> biasGradient)
    {
        weightGradient.Clear();
        biasGradient.Clear();
        for (var r = 0; r < rows; r++)
        {
            var x = input.Slice(r * layer.Inputs, layer.Inputs);
            var d = delta.Slice(r * layer.Outputs, layer.Outputs);
            TensorPrimitives.Add(biasGradient, d, biasGradient);
            for (var o = 0; o < d.Length; o++)
            {
                // dW[o, :] += delta[r, o] * x[r, :]; zero deltas (inactive ReLUs) add nothing.
                if (d[o] != 0f)
                {
                    var row = weightGradient.Slice(o * layer.Inputs, layer.Inputs);
                    TensorPrimitives.MultiplyAdd(x, d[o], row, row);
                }
            }
        }
    }

    private static void PropagateToInput(DenseLayer layer, ReadOnlySpan<float> delta, int rows, Span<float> inputDelta)
    {
        inputDelta.Clear();
        for (var r = 0; r < rows; r++)
        {
            var d = delta.Slice(r * layer.Outputs, layer.Outputs);
            var target = inputDelta.Slice(r * layer.Inputs, layer.Inputs);
            for (var o = 0; o < d.Length; o++)
            {
                // dX[r, :] += delta[r, o] * W[o, :]
                if (d[o] != 0f)
                {
                    TensorPrimitives.MultiplyAdd(layer.Weights.AsSpan(o * layer.Inputs, layer.Inputs), d[o], target, target);
                }
            }
        }
    }

    private static void MaskInactive(Span<float> delta, ReadOnlySpan<float> activation)
    {
        for (var i = 0; i < delta.Length; i++)
        {
            if (activation[i] <= 0f)
            {
                delta[i] = 0f;
            }
        }
    }

    // Sums in double so that the loss of a large batch does not lose the small terms.
    private static double SquaredError(ReadOnlySpan<float> difference)
    {
        var sum = 0.0;
        foreach (var value in difference)
        {
            sum += (double)value * value;
        }

        return sum;
    }

    private static double SquaredError(ReadOnlySpan<float> input, ReadOnlySpan<float> reconstruction)
    {
        var sum = 0.0;
        for (var i = 0; i < input.Length; i++)
        {
            var difference = (double)input[i] - reconstruction[i];
            sum += difference * difference;
        }

        return sum;
    }

    private delegate void RowVisitor(ReadOnlySpan<float> input, ReadOnlySpan<float> reconstruction, int row);

    // Runs the forward pass chunk by chunk and hands each row with its reconstruction to the visitor.
    private void ReconstructInChunks(ReadOnlySpan<float> batch, int rows, RowVisitor visit)
    {
        CheckBatch(batch, rows);
        if (Outputs != Features)
        {
            throw new InvalidOperationException("Reconstruction errors need an output as wide as the input.");
        }

        RefreshTransposedWeights();
        var chunkRows = Math.Min(rows, ChunkRows);
        var scratch = new ScratchPair(chunkRows, _widths.Max());
        var reconstruction = new float[chunkRows * Features];
        for (var start = 0; start < rows; start += ChunkRows)
        {
            var count = Math.Min(ChunkRows, rows - start);
            var chunk = batch.Slice(start * Features, count * Features);
            ForwardChunk(chunk, count, reconstruction, scratch);
            for (var r = 0; r < count; r++)
            {
                visit(chunk.Slice(r * Features, Features), reconstruction.AsSpan(r * Features, Features), start + r);
            }
        }
    }

    private void ForwardChunk(ReadOnlySpan<float> batch, int rows, Span<float> output, ScratchPair scratch)
    {
        var input = batch;
        for (var l = 0; l < _layers.Length; l++)
        {
            var width = _widths[l + 1];
            var destination = l == _layers.Length - 1
                ? output[..(rows * width)]
                : scratch.For(l).AsSpan(0, rows * width);
            LayerForward(l, input, rows, destination);
            input = destination;
        }
    }

    // y[r, :] = b + Σ_i x[r, i] · Wᵀ[i, :], then ReLU: a sum of scaled rows instead of a dot product per output,
    // so only element-wise primitives run and the result does not depend on memory alignment.
    private void LayerForward(int l, ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        var layer = _layers[l];
        var transposed = _transposed[l];
        for (var r = 0; r < rows; r++)
        {
            var x = input.Slice(r * layer.Inputs, layer.Inputs);
            var y = output.Slice(r * layer.Outputs, layer.Outputs);
            layer.Bias.CopyTo(y);
            for (var i = 0; i < x.Length; i++)
            {
                // Zero inputs (inactive ReLUs, constant features) add nothing.
                if (x[i] != 0f)
                {
                    TensorPrimitives.MultiplyAdd(transposed.AsSpan(i * layer.Outputs, layer.Outputs), x[i], y, y);
                }
            }
        }

        if (layer.Relu)
        {
            TensorPrimitives.Max(output, 0f, output);
        }
    }

    // The weights change after every optimiser step, so the transposed copies are rebuilt at each pass:
    // O(parameters), small next to the O(rows x parameters) pass itself.
    private void RefreshTransposedWeights()
    {
        for (var l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            var transposed = _transposed[l];
            for (var o = 0; o < layer.Outputs; o++)
            {
                for (var i = 0; i < layer.Inputs; i++)
                {
                    transposed[i * layer.Outputs + o] = layer.Weights[o * layer.Inputs + i];
                }
            }
        }
    }

    private void CheckBatch(ReadOnlySpan<float> batch, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        if (batch.Length < rows * Features)
        {
            throw new ArgumentException($"The batch holds {batch.Length} values, fewer than {rows} x {Features}.", nameof(batch));
        }
    }

    // Two buffers that alternate as the input and output of consecutive hidden layers.
    private sealed class ScratchPair(int rows, int width)
    {
        private readonly float[] _even = new float[rows * width];
        private readonly float[] _odd = new float[rows * width];

        public float[] For(int layer) => layer % 2 == 0 ? _even : _odd;
    }
}
