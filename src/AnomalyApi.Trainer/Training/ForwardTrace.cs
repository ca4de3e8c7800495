namespace AnomalyApi.Trainer.Training;

/// <summary>
/// The activations of one training-time forward pass, kept for <see cref="AutoencoderNetwork.Backward"/>.
/// Create one per training loop and reuse it: its buffers grow to the largest batch seen and are then recycled.
/// </summary>
public sealed class ForwardTrace
{
    private int[] _widths = [];

    /// <summary>Rows of the batch last passed through <see cref="AutoencoderNetwork.ForwardTraining"/>.</summary>
    public int Rows { get; private set; }

    /// <summary>The reconstruction of the last batch, row-major [Rows, features].</summary>
    public ReadOnlySpan<float> Reconstruction =>
        Rows == 0 ? [] : Activations[^1].AsSpan(0, Rows * _widths[^1]);

    /// <summary>Activations[0] is a copy of the input; Activations[l + 1] is layer l's output (after ReLU).</summary>
    internal float[][] Activations { get; private set; } = [];

    /// <summary>Two scratch buffers for the backward pass's error signals, as wide as the widest layer.</summary>
    internal float[] Delta { get; private set; } = [];

    /// <inheritdoc cref="Delta"/>
    internal float[] DeltaPrevious { get; private set; } = [];

    /// <summary>Sizes the buffers for a batch; reallocates only when the shape or a larger batch needs it.</summary>
    internal void Prepare(IReadOnlyList<int> widths, int rows)
    {
        if (!_widths.SequenceEqual(widths) || Activations[0].Length < rows * _widths[0])
        {
            _widths = [.. widths];
            Activations = [.. _widths.Select(width => new float[rows * width])];
            var widest = _widths.Max();
            Delta = new float[rows * widest];
            DeltaPrevious = new float[rows * widest];
        }

        Rows = rows;
    }

    /// <summary>Swaps the two delta buffers as the backward pass moves down one layer.</summary>
    internal void SwapDeltas() => (Delta, DeltaPrevious) = (DeltaPrevious, Delta);
}
