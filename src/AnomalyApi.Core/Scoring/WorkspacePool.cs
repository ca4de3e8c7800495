using System.Collections.Concurrent;
using System.Numerics;

namespace AnomalyApi.Core.Scoring;

/// <summary>
/// Pools <see cref="ScoringWorkspace"/>s by row count. Row counts are rounded up to a power of two
/// (capped at the chunk size), so there is one small bag per shape and at most one workspace per
/// concurrent caller in each.
/// </summary>
internal sealed class WorkspacePool : IDisposable
{
    private readonly ConcurrentBag<ScoringWorkspace>[] _buckets;
    private readonly Func<int, ScoringWorkspace> _create;
    private volatile bool _disposed;

    /// <param name="maxRows">The largest workspace, a power of two.</param>
    /// <param name="create">Makes a workspace for a number of rows (a power of two up to <paramref name="maxRows"/>).</param>
    public WorkspacePool(int maxRows, Func<int, ScoringWorkspace> create)
    {
        if (maxRows < 1 || !BitOperations.IsPow2(maxRows))
        {
            throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "must be a power of two");
        }
        MaxRows = maxRows;
        _create = create;
        _buckets = new ConcurrentBag<ScoringWorkspace>[BitOperations.Log2((uint)maxRows) + 1];
        for (var i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = [];
        }
    }

    public int MaxRows { get; }

    /// <summary>A workspace with room for at least <paramref name="rows"/> rows (rows ≤ MaxRows).</summary>
    public ScoringWorkspace Rent(int rows)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var bucket = BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)rows));
        return _buckets[bucket].TryTake(out var workspace)
            ? workspace
            : _create(1 << bucket);
    }

    public void Return(ScoringWorkspace workspace)
    {
        if (_disposed)
        {
            workspace.Dispose();
            return;
        }
        _buckets[BitOperations.Log2((uint)workspace.Rows)].Add(workspace);
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var bucket in _buckets)
        {
            while (bucket.TryTake(out var workspace))
            {
                workspace.Dispose();
            }
        }
    }
}
