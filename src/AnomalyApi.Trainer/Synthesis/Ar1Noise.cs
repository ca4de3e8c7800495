namespace AnomalyApi.Trainer.Synthesis;

/// <summary>
/// Zero-mean AR(1) noise, x[t] = phi * x[t-1] + e[t], scaled so its stationary standard deviation is
/// <c>std</c>. Real telemetry is autocorrelated; white noise would make every row independent and let an
/// autoencoder learn nothing about how consecutive scrapes relate.
/// </summary>
internal sealed class Ar1Noise
{
    private readonly double _phi;
    private readonly double _innovationStd;
    private double _value;

    public Ar1Noise(Random random, double phi, double std)
    {
        _phi = phi;
        _innovationStd = std * Math.Sqrt(1.0 - phi * phi);
        // Start in the stationary distribution so the first rows are as noisy as the rest.
        _value = std * random.NextGaussian();
    }

    public double Next(Random random) => _value = _phi * _value + _innovationStd * random.NextGaussian();
}
