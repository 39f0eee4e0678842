// The right edge of a tiled tree (C2SP tlog-tiles "Partial Tiles"): for each tile level, the hashes of its
// partial tile. A tree of size s decomposes into complete subtrees exactly along those partial tiles (the
// base-256 digits of s), so the partial tiles alone give the root (RFC 6962 §2.1 MTH).
using System.Numerics;
using Atelier.Transparency.Merkle;

namespace Atelier.Transparency.Tiles;

/// <summary>The partial tiles of every level of a tree, and the bundle of its last, partial entry tile.</summary>
internal sealed class TreeEdge
{
    public TreeEdge(long size, List<List<Hash>> partialHashes, List<ReadOnlyMemory<byte>> partialEntries)
    {
        Size = size;
        PartialHashes = partialHashes;
        PartialEntries = partialEntries;
    }

    public long Size { get; }

    /// <summary>Per tile level, the hashes of its partial tile (empty when the level has none).</summary>
    public List<List<Hash>> PartialHashes { get; }

    /// <summary>The entries of the partial entry bundle.</summary>
    public List<ReadOnlyMemory<byte>> PartialEntries { get; }

    public static TreeEdge Empty => new(0, [], []);

    /// <summary>The root hash of the tree.</summary>
    public Hash Root() => RootFromPartials(PartialHashes);

    /// <summary>The root of a tree given the partial tile hashes of each level, lowest level first.</summary>
    public static Hash RootFromPartials(IReadOnlyList<IReadOnlyList<Hash>> partials)
    {
        var subtrees = new List<Hash>();
        Span<Hash> scratch = stackalloc Hash[TilePath.FullWidth];
        for (var level = partials.Count - 1; level >= 0; level--)
        {
            var hashes = partials[level];
            var start = 0;
            while (start < hashes.Count)
            {
                var width = 1 << BitOperations.Log2((uint)(hashes.Count - start));
                for (var i = 0; i < width; i++)
                {
                    scratch[i] = hashes[start + i];
                }

                subtrees.Add(MerkleTree.ReduceInPlace(scratch[..width]));
                start += width;
            }
        }

        return subtrees.Count == 0 ? Hash.Empty : MerkleTree.FoldRight(subtrees.ToArray());
    }
}
