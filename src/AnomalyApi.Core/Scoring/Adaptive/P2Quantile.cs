namespace AnomalyApi.Core.Scoring.Adaptive;

/// <summary>
/// A streaming estimate of one quantile in constant memory: the P-square algorithm of Jain and Chlamtac
/// (1985), which keeps five markers (the minimum, the p/2, p and (1+p)/2 quantiles, and the maximum) and
/// moves their heights along a piecewise-parabolic fit of the distribution as observations arrive.
/// </summary>
/// <remarks>Not thread-safe: callers that share an instance serialise access themselves.</remarks>
public sealed class P2Quantile
{
    // Marker heights q, actual positions n (1-based ranks among the observations seen), desired positions
    // n' and the increments of n' per observation. Index 2 is the marker that estimates p.
    private readonly double[] _heights = new double[5];
    private readonly double[] _positions = new double[5];
    private readonly double[] _desired = new double[5];
    private readonly double[] _increments = new double[5];

    /// <summary>Creates an estimator for the quantile <paramref name="p"/>.</summary>
    /// <param name="p">The quantile to track, strictly between 0 and 1 (0.99 for the 99th percentile).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not in (0, 1).</exception>
    public P2Quantile(double p)
    {
        ExactQuantile.CheckProbability(p, nameof(p));
        P = p;
        _increments[0] = 0;
        _increments[1] = p / 2;
        _increments[2] = p;
        _increments[3] = (1 + p) / 2;
        _increments[4] = 1;
    }

    /// <summary>The quantile tracked.</summary>
    public double P { get; }

    /// <summary>How many observations have been added.</summary>
    public long Count { get; private set; }

    /// <summary>
    /// The current estimate: null before any observation, exact (numpy's linear interpolation) while at most
    /// five have been seen, the P-square estimate after that.
    /// </summary>
    public double? Estimate
    {
        get
        {
            if (Count == 0)
                return null;

            // Until the sixth observation the first observations are all still held (sorted once there are
            // five), so the exact answer costs nothing; the middle marker would only be their median.
            if (Count <= 5)
            {
                Span<double> sorted = stackalloc double[(int)Count];
                _heights.AsSpan(0, (int)Count).CopyTo(sorted);
                sorted.Sort();
                return ExactQuantile.OfSorted(sorted, P);
            }

            return _heights[2];
        }
    }

    /// <summary>Adds one observation.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> is NaN or infinite.</exception>
    public void Add(double x)
    {
        ExactQuantile.CheckFinite(x, nameof(x));

        if (Count < 5)
        {
            _heights[Count] = x;
            Count++;
            if (Count == 5)
                Initialise();
            return;
        }

        Count++;

        // Find the cell k with q[k] <= x < q[k+1], stretching the extreme markers to take in a new minimum
        // or maximum.
        int k;
        if (x < _heights[0])
        {
            _heights[0] = x;
            k = 0;
        }
        else if (x >= _heights[4])
        {
            _heights[4] = x;
            k = 3;
        }
        else
        {
            k = 0;
            while (x >= _heights[k + 1])
                k++;
        }

        // Every marker above the cell moves up one rank; the desired positions advance by their increments.
        for (var i = k + 1; i < 5; i++)
            _positions[i]++;
        for (var i = 0; i < 5; i++)
            _desired[i] += _increments[i];

        for (var i = 1; i <= 3; i++)
            AdjustMarker(i);
    }

    private void Initialise()
    {
        Array.Sort(_heights);
        for (var i = 0; i < 5; i++)
            _positions[i] = i + 1;

        // Desired positions for p after five observations: 1, 1 + 2p, 1 + 4p, 3 + 2p, 5.
        _desired[0] = 1;
        _desired[1] = 1 + 2 * P;
        _desired[2] = 1 + 4 * P;
        _desired[3] = 3 + 2 * P;
        _desired[4] = 5;
    }

    private void AdjustMarker(int i)
    {
        var offset = _desired[i] - _positions[i];

        // A marker moves one rank at a time, and only when it is at least one rank from where it should be
        // and the neighbour in that direction is more than one rank away (so positions stay distinct).
        var up = offset >= 1 && _positions[i + 1] - _positions[i] > 1;
        var down = offset <= -1 && _positions[i - 1] - _positions[i] < -1;
        if (!up && !down)
            return;

        var d = up ? 1 : -1;
        var candidate = Parabolic(i, d);

        // The parabola can overshoot a neighbour when the heights are uneven; heights must stay ordered, so
        // fall back to linear interpolation towards the neighbour in the direction of travel.
        _heights[i] = _heights[i - 1] < candidate && candidate < _heights[i + 1]
            ? candidate
            : Linear(i, d);
        _positions[i] += d;
    }

    // The piecewise-parabolic (P²) prediction of the height at position n[i] + d from the marker and its
    // two neighbours:
    //   q'_i = q_i + d / (n_{i+1} - n_{i-1})
    //          * [ (n_i - n_{i-1} + d) (q_{i+1} - q_i) / (n_{i+1} - n_i)
    //            + (n_{i+1} - n_i - d) (q_i - q_{i-1}) / (n_i - n_{i-1}) ]
    private double Parabolic(int i, int d)
    {
        var q = _heights;
        var n = _positions;
        return q[i] + d / (n[i + 1] - n[i - 1])
            * ((n[i] - n[i - 1] + d) * (q[i + 1] - q[i]) / (n[i + 1] - n[i])
               + (n[i + 1] - n[i] - d) * (q[i] - q[i - 1]) / (n[i] - n[i - 1]));
    }

    // The linear fallback: q'_i = q_i + d (q_{i+d} - q_i) / (n_{i+d} - n_i).
    private double Linear(int i, int d)
    {
        var q = _heights;
        var n = _positions;
        return q[i] + d * (q[i + d] - q[i]) / (n[i + d] - n[i]);
    }
}
