// Reading RFC 6962 subtree hashes out of C2SP tlog-tiles: a node at tree level 8·t + r is the root of
// 2^r consecutive hashes of a level-t tile, recomputed by hashing them pairwise (tlog-tiles, "Merkle Tree").
using Atelier.Core;
using Atelier.Transparency.Merkle;

namespace Atelier.Transparency.Tiles;

/// <summary>
/// An <see cref="IHashReader"/> over the tiles of a tree of <see cref="TreeSize"/> entries kept in an
/// <see cref="IObjectStore"/>. Any complete subtree of any tree up to that size can be read, so one reader
/// built for the latest size serves proofs against every older checkpoint too. Tiles are cached for the
/// reader's lifetime (they are immutable); use one reader per request or per checkpoint.
/// </summary>
public sealed class TileHashReader : IHashReader
{
    private readonly IObjectStore _store;
    private readonly LogLayout _layout;
    private readonly Dictionary<TilePath, Hash[]> _cache = [];
    private readonly Lock _gate = new();

    /// <summary>A reader for the tree of <paramref name="treeSize"/> entries.</summary>
    public TileHashReader(IObjectStore store, long treeSize, LogLayout? layout = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        _store = store;
        TreeSize = treeSize;
        _layout = layout ?? LogLayout.Default;
    }

    /// <summary>The size of the tree whose tiles this reader reads.</summary>
    public long TreeSize { get; }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<Hash>> ReadHashesAsync(IReadOnlyList<NodeId> nodes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var result = new Hash[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            if (node.Level is < 0 or > 62 || node.Index < 0 || node.Index >= TreeSize >> node.Level)
            {
                throw new ArgumentOutOfRangeException(nameof(nodes), $"node {node} is not a complete subtree of a tree of size {TreeSize}");
            }

            var tileLevel = node.Level / TilePath.Height;
            var within = node.Level % TilePath.Height;
            var first = node.Index << within;
            var tile = LogLayout.TileAt(TreeSize, tileLevel, first / TilePath.FullWidth)
                ?? throw new InvalidOperationException($"no tile holds node {node} in a tree of size {TreeSize}");
            var hashes = await ReadTileAsync(tile, ct).ConfigureAwait(false);
            result[i] = SubtreeOf(hashes, (int)(first % TilePath.FullWidth), 1 << within);
        }

        return result;
    }

    /// <summary>The hashes of one tile, checked for the right length.</summary>
    /// <exception cref="LogStorageException">when the tile is missing or has the wrong size.</exception>
    public async ValueTask<Hash[]> ReadTileAsync(TilePath tile, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_cache.TryGetValue(tile, out var cached))
            {
                return cached;
            }
        }

        var key = _layout.Key(tile);
        var bytes = await _store.GetObjectAsync(key, ct).ConfigureAwait(false)
            ?? throw new LogStorageException(key, "the tile is missing");
        if (bytes.Length != tile.HashTileByteLength)
        {
            throw new LogStorageException(key, $"the tile has {bytes.Length} bytes; a tile of width {tile.Width} has {tile.HashTileByteLength}");
        }

        var hashes = Hash.ReadMany(bytes);
        lock (_gate)
        {
            _cache[tile] = hashes;
        }

        return hashes;
    }

    private static Hash SubtreeOf(Hash[] tile, int offset, int count)
    {
        if (count == 1)
        {
            return tile[offset];
        }

        Span<Hash> scratch = stackalloc Hash[TilePath.FullWidth / 2];
        tile.AsSpan(offset, count).CopyTo(scratch);
        return MerkleTree.ReduceInPlace(scratch[..count]);
    }
}

/// <summary>Raised when a stored log object is missing or malformed.</summary>
public sealed class LogStorageException(string key, string problem) : Exception($"{key}: {problem}")
{
    /// <summary>The object key at fault.</summary>
    public string Key { get; } = key;
}
