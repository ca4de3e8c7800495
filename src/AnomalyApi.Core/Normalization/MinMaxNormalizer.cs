using AnomalyApi.Core.Configuration;

namespace AnomalyApi.Core.Normalization;

/// <summary>
/// Min-max normalisation as the model card defines it: x_norm = (x - min) / (max - min); a feature that
/// was constant in training (max == min) normalises to 0.0; with <c>clip</c> the result is clamped to [0, 1].
/// The arithmetic is done in double and rounded once to float, so a raw value in bytes (~1e10) loses no
/// more than float's own rounding of the result.
/// </summary>
public sealed class MinMaxNormalizer
{
    private readonly double[] _min;
    private readonly double[] _max;
    // 1 / (max - min), or 0 for a constant feature: one multiply per value on the hot path,
    // and (x - min) * 0 gives exactly the 0.0 the model card asks for.
    private readonly double[] _inverseRange;

    /// <summary>Creates a normaliser from a validated config's parameters.</summary>
    public MinMaxNormalizer(MinMaxNormalization normalization)
    {
        ArgumentNullException.ThrowIfNull(normalization);
        if (normalization.Min.Count != normalization.Max.Count)
        {
            throw new ArgumentException("min and max must have the same length", nameof(normalization));
        }
        _min = [.. normalization.Min];
        _max = [.. normalization.Max];
        _inverseRange = new double[_min.Length];
        for (var i = 0; i < _min.Length; i++)
        {
            var range = _max[i] - _min[i];
            _inverseRange[i] = range > 0 ? 1.0 / range : 0.0;
        }
        Clip = normalization.Clip;
    }

    /// <summary>Number of features per row.</summary>
    public int FeatureCount => _min.Length;

    /// <summary>Whether results are clamped to [0, 1].</summary>
    public bool Clip { get; }

    /// <summary>
    /// Normalises <paramref name="raw"/> (one or more rows, row-major) into <paramref name="destination"/>.
    /// </summary>
    public void Normalize(ReadOnlySpan<float> raw, Span<float> destination)
    {
        if (raw.Length % FeatureCount != 0)
        {
            throw new ArgumentException($"length {raw.Length} is not a whole number of {FeatureCount}-feature rows", nameof(raw));
        }
        if (destination.Length < raw.Length)
        {
            throw new ArgumentException("destination is shorter than the input", nameof(destination));
        }

        var features = FeatureCount;
        for (var offset = 0; offset < raw.Length; offset += features)
        {
            var row = raw.Slice(offset, features);
            var output = destination.Slice(offset, features);
            for (var i = 0; i < features; i++)
            {
                var value = (row[i] - _min[i]) * _inverseRange[i];
                if (Clip)
                {
                    value = Math.Clamp(value, 0.0, 1.0);
                }
                output[i] = (float)value;
            }
        }
    }

    /// <summary>
    /// Whether a raw value lies outside the range seen in training: the cheapest drift signal, whatever
    /// <see cref="Clip"/> then does with it.
    /// </summary>
    public bool IsOutOfRange(int feature, float raw) => raw < _min[feature] || raw > _max[feature];

    /// <summary>
    /// Adds to <paramref name="counts"/>[f] how many rows of <paramref name="raw"/> (row-major) hold a value of
    /// feature f outside its training range, as <see cref="IsOutOfRange"/> decides. One loop here rather than a call
    /// per value: for a batch that was a twentieth of the service's CPU.
    /// </summary>
    public void CountOutOfRange(ReadOnlySpan<float> raw, Span<int> counts)
    {
        var features = FeatureCount;
        if (raw.Length % features != 0 || counts.Length < features)
        {
            throw new ArgumentException($"expected whole {features}-feature rows and {features} counts");
        }
        var min = _min.AsSpan();
        var max = _max.AsSpan();
        for (var offset = 0; offset < raw.Length; offset += features)
        {
            var row = raw.Slice(offset, features);
            for (var feature = 0; feature < row.Length; feature++)
            {
                var value = row[feature];
                if (value < min[feature] || value > max[feature])
                {
                    counts[feature]++;
                }
            }
        }
    }
}
