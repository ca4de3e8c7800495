namespace AnomalyApi.Core.Scoring.Adaptive;

/// <summary>
/// The exact quantile of the last <see cref="Window"/> observations, so that the estimate follows a machine
/// whose behaviour drifts instead of averaging over its whole history.
/// </summary>
/// <remarks>
/// <para>
/// Exact rather than P-square restarted per block: a ring buffer of the window plus the same values kept
/// sorted. An update evicts the oldest value and inserts the newest, each a binary search and one block
/// move, so O(N) per update and O(1) per query. At the intended sizes (N = 5,760, one day at 15 s, one
/// update per interval) that is a ~46 KB memmove every 15 s: negligible, and the answer is the exact
/// quantile with nothing to tune or distrust. A restarted P-square would save memory nobody needs here and
/// add a block-boundary jump and an approximation error to explain in every alert.
/// </para>
/// <para>Not thread-safe: callers that share an instance serialise access themselves.</para>
/// </remarks>
public sealed class RecentQuantile
{
    private readonly double[] _ring;
    private readonly double[] _sorted;
    private int _next;

    /// <summary>Creates a tracker of the quantile <paramref name="p"/> over the last <paramref name="window"/> observations.</summary>
    /// <param name="p">The quantile to track, strictly between 0 and 1.</param>
    /// <param name="window">How many recent observations the quantile is taken over; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public RecentQuantile(double p, int window)
    {
        ExactQuantile.CheckProbability(p, nameof(p));
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        P = p;
        _ring = new double[window];
        _sorted = new double[window];
    }

    /// <summary>The quantile tracked.</summary>
    public double P { get; }

    /// <summary>The most observations the quantile is taken over.</summary>
    public int Window => _ring.Length;

    /// <summary>How many observations the window holds now: the number added, up to <see cref="Window"/>.</summary>
    public int Count { get; private set; }

    /// <summary>The exact quantile (numpy's linear interpolation) of the window; null while it is empty.</summary>
    public double? Estimate => Count == 0 ? null : ExactQuantile.OfSorted(_sorted.AsSpan(0, Count), P);

    /// <summary>Adds one observation, evicting the oldest once the window is full.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> is NaN or infinite.</exception>
    public void Add(double x)
    {
        ExactQuantile.CheckFinite(x, nameof(x));

        if (Count == Window)
        {
            // Any copy of an equal value will do: they are indistinguishable in the sorted view.
            var evict = Array.BinarySearch(_sorted, 0, Count, _ring[_next]);
            Array.Copy(_sorted, evict + 1, _sorted, evict, Count - evict - 1);
            Count--;
        }

        var insert = Array.BinarySearch(_sorted, 0, Count, x);
        if (insert < 0)
            insert = ~insert;
        Array.Copy(_sorted, insert, _sorted, insert + 1, Count - insert);
        _sorted[insert] = x;
        Count++;

        _ring[_next] = x;
        _next = (_next + 1) % Window;
    }
}
