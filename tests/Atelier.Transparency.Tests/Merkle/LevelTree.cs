using Atelier.Transparency.Merkle;

namespace Atelier.Transparency.Tests.Merkle;

/// <summary>
/// An independent reference for the tests: every complete subtree hash kept level by level in memory, and
/// MTH computed by the recursive definition of RFC 6962 §2.1. Shares no code with the tile readers.
/// </summary>
internal sealed class LevelTree : IHashReader
{
    private readonly List<List<Hash>> _levels = [[]];

    public LevelTree(IEnumerable<Hash>? leaves = null)
    {
        foreach (var leaf in leaves ?? [])
        {
            Add(leaf);
        }
    }

    public long Size => _levels[0].Count;

    public void Add(Hash leaf)
    {
        _levels[0].Add(leaf);
        for (var level = 0; _levels[level].Count % 2 == 0; level++)
        {
            if (_levels.Count == level + 1)
            {
                _levels.Add([]);
            }

            var below = _levels[level];
            _levels[level + 1].Add(Hash.Node(below[^2], below[^1]));
        }
    }

    /// <summary>MTH(D[lo:hi]) by the recursive definition.</summary>
    public Hash Mth(long lo, long hi)
    {
        var n = hi - lo;
        if (n == 0)
        {
            return Hash.Empty;
        }

        // A complete, aligned subtree is stored; otherwise split at the largest power of two below n.
        if ((n & (n - 1)) == 0 && lo % n == 0)
        {
            var level = System.Numerics.BitOperations.Log2((ulong)n);
            return _levels[level][(int)(lo / n)];
        }

        long k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return Hash.Node(Mth(lo, lo + k), Mth(lo + k, hi));
    }

    public ValueTask<IReadOnlyList<Hash>> ReadHashesAsync(IReadOnlyList<NodeId> nodes, CancellationToken ct = default)
        => ValueTask.FromResult<IReadOnlyList<Hash>>([.. nodes.Select(n => _levels[n.Level][(int)n.Index])]);
}
