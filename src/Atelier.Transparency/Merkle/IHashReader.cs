namespace Atelier.Transparency.Merkle;

/// <summary>
/// A complete subtree of the log: the Merkle Tree Hash of entries
/// [<see cref="Index"/> · 2^<see cref="Level"/>, (<see cref="Index"/> + 1) · 2^<see cref="Level"/>).
/// Level 0 is a leaf hash.
/// </summary>
public readonly record struct NodeId(int Level, long Index)
{
    /// <summary>The first entry the subtree covers.</summary>
    public long Start => Index << Level;

    /// <summary>One past the last entry the subtree covers.</summary>
    public long End => (Index + 1) << Level;
}

/// <summary>
/// Gives the stored hashes of complete subtrees, the way Go's tlog.HashReader does, so proofs can be
/// built over tiles, a database or memory alike.
/// </summary>
public interface IHashReader
{
    /// <summary>
    /// Returns the hash of each node, in the order asked. Throws when a node is not stored or lies
    /// outside the tree the reader serves.
    /// </summary>
    ValueTask<IReadOnlyList<Hash>> ReadHashesAsync(IReadOnlyList<NodeId> nodes, CancellationToken ct = default);
}

/// <summary>Raised when a Merkle proof, or the data it is checked against, does not hold.</summary>
public sealed class InvalidProofException(string message) : Exception(message);
