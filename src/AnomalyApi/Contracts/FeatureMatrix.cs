using System.Buffers;

namespace AnomalyApi.Contracts;

/// <summary>
/// A batch's rows read straight into one pooled buffer (row-major, model order): what /predict/batch scores when
/// its body took the fast path (<see cref="Json.BatchRowsReader"/>). The buffer goes back to the pool on dispose,
/// which the binder leaves to the response.
/// </summary>
public sealed class FeatureMatrix : IDisposable
{
    private float[]? _buffer;

    internal FeatureMatrix(float[] buffer, int rows, int features)
    {
        _buffer = buffer;
        Rows = rows;
        Features = features;
    }

    public int Rows { get; }

    public int Features { get; }

    /// <summary>The rows' values, row-major.</summary>
    public ReadOnlySpan<float> Values =>
        (_buffer ?? throw new ObjectDisposedException(nameof(FeatureMatrix))).AsSpan(0, Rows * Features);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
