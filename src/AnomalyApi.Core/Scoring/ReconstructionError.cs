using System.Numerics.Tensors;

namespace AnomalyApi.Core.Scoring;

/// <summary>
/// The model card's score: rmse = sqrt(mean((x_norm - reconstruction)^2)) per row. The scorer and the
/// trainer (which picks the threshold from training RMSEs) both call this, so they cannot disagree.
/// </summary>
public static class ReconstructionError
{
    /// <summary>
    /// Writes each feature's squared error into <paramref name="squaredErrors"/> and returns the row's RMSE.
    /// </summary>
    public static double Rmse(ReadOnlySpan<float> normalized, ReadOnlySpan<float> reconstruction, Span<float> squaredErrors)
    {
        if (normalized.Length == 0 || normalized.Length != reconstruction.Length || squaredErrors.Length < normalized.Length)
        {
            throw new ArgumentException("input, reconstruction and squared errors must be one non-empty row each");
        }
        var errors = squaredErrors[..normalized.Length];
        TensorPrimitives.Subtract(normalized, reconstruction, errors);
        TensorPrimitives.Multiply(errors, errors, errors);
        double sum = 0;
        foreach (var error in errors)
        {
            sum += error;
        }
        return Math.Sqrt(sum / errors.Length);
    }

    /// <summary>The RMSE of one row, without keeping the per-feature errors.</summary>
    public static double Rmse(ReadOnlySpan<float> normalized, ReadOnlySpan<float> reconstruction)
    {
        Span<float> scratch = normalized.Length <= 256 ? stackalloc float[normalized.Length] : new float[normalized.Length];
        return Rmse(normalized, reconstruction, scratch);
    }
}
