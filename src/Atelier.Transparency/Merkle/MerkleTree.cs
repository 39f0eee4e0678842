// Merkle Tree Hash, audit paths and consistency proofs of RFC 6962 §2.1 (MTH, PATH, PROOF/SUBPROOF),
// and the verification algorithms of RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency), with
// the stricter input rules of transparency-dev/merkle's verifier (32-byte hashes, no proof from size 0).
using System.Diagnostics;
using System.Numerics;

namespace Atelier.Transparency.Merkle;

/// <summary>
/// Tree hashes and proofs over a log of <c>size</c> entries. Provers read stored subtree hashes through an
/// <see cref="IHashReader"/> in one batch; checkers are pure and throw <see cref="InvalidProofException"/>.
/// </summary>
public static class MerkleTree
{
    /// <summary>The longest proof a 63-bit tree can need: one hash per level, plus the prepended root.</summary>
    public const int MaxProofLength = 64;

    /// <summary>The Merkle Tree Hash of the first <paramref name="size"/> entries.</summary>
    public static async ValueTask<Hash> TreeHashAsync(long size, IHashReader reader, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentNullException.ThrowIfNull(reader);
        if (size == 0)
        {
            return Hash.Empty;
        }

        var plan = new ProofPlan();
        plan.AddRange(0, size);
        return (await plan.ResolveAsync(reader, ct).ConfigureAwait(false))[0];
    }

    /// <summary>The Merkle Tree Hash of a list of leaf hashes held in memory.</summary>
    public static Hash RootOf(ReadOnlySpan<Hash> leafHashes)
    {
        if (leafHashes.IsEmpty)
        {
            return Hash.Empty;
        }

        // Complete subtrees of descending size, left to right, then folded from the right (RFC 6962 §2.1
        // splits at the largest power of two below n, which is exactly this decomposition).
        Span<Hash> subtrees = stackalloc Hash[MaxProofLength];
        var count = 0;
        var scratch = new Hash[leafHashes.Length];
        leafHashes.CopyTo(scratch);
        var start = 0;
        while (start < leafHashes.Length)
        {
            var width = 1 << BitOperations.Log2((uint)(leafHashes.Length - start));
            subtrees[count++] = ReduceInPlace(scratch.AsSpan(start, width));
            start += width;
        }

        return FoldRight(subtrees[..count]);
    }

    /// <summary>
    /// The audit path for entry <paramref name="index"/> in the tree of <paramref name="size"/> entries,
    /// from the leaf's sibling up to the root's child (RFC 6962 §2.1.1).
    /// </summary>
    public static async ValueTask<Hash[]> ProveInclusionAsync(long index, long size, IHashReader reader, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"index {index} is outside a tree of size {size}");
        }

        var plan = new ProofPlan();
        AddInclusionPath(plan, index, 0, size);
        return await plan.ResolveAsync(reader, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks that <paramref name="leaf"/> is entry <paramref name="index"/> of the tree of
    /// <paramref name="size"/> entries whose root is <paramref name="root"/>.
    /// </summary>
    /// <exception cref="InvalidProofException">when the proof does not hold.</exception>
    public static void CheckInclusion(Hash leaf, long index, long size, ReadOnlySpan<Hash> proof, Hash root)
    {
        if (index < 0 || size < 0 || index >= size)
        {
            throw new InvalidProofException($"index {index} is outside a tree of size {size}");
        }

        var computed = RootFromInclusionProof(leaf, index, size, proof);
        if (computed != root)
        {
            throw new InvalidProofException($"the proof leads to root {computed.ToBase64()}, not {root.ToBase64()}");
        }
    }

    /// <summary>
    /// The consistency proof from the tree of <paramref name="size1"/> entries to the tree of
    /// <paramref name="size2"/> entries (RFC 6962 §2.1.2). Empty when the sizes are equal.
    /// </summary>
    public static async ValueTask<Hash[]> ProveConsistencyAsync(long size1, long size2, IHashReader reader, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (size1 <= 0 || size2 < size1)
        {
            throw new ArgumentOutOfRangeException(nameof(size1), $"no consistency proof from size {size1} to size {size2}: sizes must satisfy 0 < size1 <= size2");
        }

        var plan = new ProofPlan();
        AddSubproof(plan, size1, 0, size2, complete: true);
        return await plan.ResolveAsync(reader, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks that the tree of <paramref name="size2"/> entries with root <paramref name="root2"/> extends
    /// the tree of <paramref name="size1"/> entries with root <paramref name="root1"/>. Equal sizes need an
    /// empty proof and equal roots; a proof from the empty tree proves nothing and is refused.
    /// </summary>
    /// <exception cref="InvalidProofException">when the proof does not hold.</exception>
    public static void CheckConsistency(long size1, long size2, Hash root1, Hash root2, ReadOnlySpan<Hash> proof)
    {
        if (size1 < 0 || size2 < size1)
        {
            throw new InvalidProofException($"size2 ({size2}) is smaller than size1 ({size1})");
        }

        if (size1 == 0)
        {
            throw new InvalidProofException("a consistency proof from the empty tree is meaningless");
        }

        if (size1 == size2)
        {
            if (!proof.IsEmpty)
            {
                throw new InvalidProofException("the sizes are equal but the proof is not empty");
            }

            if (root1 != root2)
            {
                throw new InvalidProofException("the sizes are equal but the roots differ");
            }

            return;
        }

        if (proof.IsEmpty)
        {
            throw new InvalidProofException("the proof is empty");
        }

        // RFC 9162 §2.1.4.2. When size1 is a power of two its root is the first node of the walk.
        scoped ReadOnlySpan<Hash> path = proof;
        Span<Hash> withRoot = stackalloc Hash[MaxProofLength + 1];
        if (BitOperations.IsPow2(size1))
        {
            if (proof.Length > MaxProofLength)
            {
                throw new InvalidProofException("the proof is too long");
            }

            withRoot[0] = root1;
            proof.CopyTo(withRoot[1..]);
            path = withRoot[..(proof.Length + 1)];
        }

        var fn = size1 - 1;
        var sn = size2 - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var fr = path[0];
        var sr = path[0];
        foreach (var c in path[1..])
        {
            if (sn == 0)
            {
                throw new InvalidProofException("the proof is longer than the trees need");
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = Hash.Node(c, fr);
                sr = Hash.Node(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = Hash.Node(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        if (sn != 0)
        {
            throw new InvalidProofException("the proof is shorter than the trees need");
        }

        if (fr != root1)
        {
            throw new InvalidProofException($"the proof leads to old root {fr.ToBase64()}, not {root1.ToBase64()}");
        }

        if (sr != root2)
        {
            throw new InvalidProofException($"the proof leads to new root {sr.ToBase64()}, not {root2.ToBase64()}");
        }
    }

    /// <summary>The root an inclusion proof leads to (RFC 9162 §2.1.3.2), without comparing it.</summary>
    private static Hash RootFromInclusionProof(Hash leaf, long index, long size, ReadOnlySpan<Hash> proof)
    {
        var fn = index;
        var sn = size - 1;
        var r = leaf;
        foreach (var p in proof)
        {
            if (sn == 0)
            {
                throw new InvalidProofException("the proof is longer than the tree needs");
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = Hash.Node(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = Hash.Node(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        if (sn != 0)
        {
            throw new InvalidProofException("the proof is shorter than the tree needs");
        }

        return r;
    }

    /// <summary>PATH(m, D[lo:hi]) of RFC 6962 §2.1.1, as subtree ranges to hash.</summary>
    private static void AddInclusionPath(ProofPlan plan, long index, long lo, long hi)
    {
        if (hi - lo == 1)
        {
            return;
        }

        var k = LargestPowerOfTwoBelow(hi - lo);
        if (index < lo + k)
        {
            AddInclusionPath(plan, index, lo, lo + k);
            plan.AddRange(lo + k, hi);
        }
        else
        {
            AddInclusionPath(plan, index, lo + k, hi);
            plan.AddRange(lo, lo + k);
        }
    }

    /// <summary>SUBPROOF(m, D[lo:hi], b) of RFC 6962 §2.1.2.</summary>
    private static void AddSubproof(ProofPlan plan, long m, long lo, long hi, bool complete)
    {
        var n = hi - lo;
        if (m == n)
        {
            if (!complete)
            {
                plan.AddRange(lo, hi);
            }

            return;
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            AddSubproof(plan, m, lo, lo + k, complete);
            plan.AddRange(lo + k, hi);
        }
        else
        {
            AddSubproof(plan, m - k, lo + k, hi, complete: false);
            plan.AddRange(lo, lo + k);
        }
    }

    /// <summary>The largest power of two strictly below <paramref name="n"/> (n ≥ 2).</summary>
    internal static long LargestPowerOfTwoBelow(long n)
    {
        Debug.Assert(n >= 2);
        return 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));
    }

    /// <summary>
    /// Appends the complete subtrees that make up entries [lo, hi), largest first. Callers pass ranges whose
    /// start is aligned to the largest subtree, as every range of an RFC 6962 proof is.
    /// </summary>
    internal static void AddSubtrees(long lo, long hi, List<NodeId> nodes)
    {
        while (lo < hi)
        {
            var level = 63 - BitOperations.LeadingZeroCount((ulong)(hi - lo));
            Debug.Assert(lo % (1L << level) == 0, "ranges in proofs start on a subtree boundary");
            nodes.Add(new NodeId(level, lo >> level));
            lo += 1L << level;
        }
    }

    /// <summary>Combines complete subtrees of descending size into the hash of their range.</summary>
    internal static Hash FoldRight(ReadOnlySpan<Hash> subtrees)
    {
        Debug.Assert(!subtrees.IsEmpty);
        var h = subtrees[^1];
        for (var i = subtrees.Length - 2; i >= 0; i--)
        {
            h = Hash.Node(subtrees[i], h);
        }

        return h;
    }

    /// <summary>The root of a complete subtree given its 2^k bottom hashes; overwrites the span.</summary>
    internal static Hash ReduceInPlace(Span<Hash> hashes)
    {
        Debug.Assert(BitOperations.IsPow2(hashes.Length));
        var n = hashes.Length;
        while (n > 1)
        {
            for (var i = 0; i < n / 2; i++)
            {
                hashes[i] = Hash.Node(hashes[2 * i], hashes[(2 * i) + 1]);
            }

            n /= 2;
        }

        return hashes[0];
    }

    /// <summary>The ranges a proof needs, read in one batch and folded into one hash per range.</summary>
    private sealed class ProofPlan
    {
        private readonly List<NodeId> _nodes = [];
        private readonly List<int> _rangeEnds = [];

        public void AddRange(long lo, long hi)
        {
            AddSubtrees(lo, hi, _nodes);
            _rangeEnds.Add(_nodes.Count);
        }

        public async ValueTask<Hash[]> ResolveAsync(IHashReader reader, CancellationToken ct)
        {
            var hashes = _nodes.Count == 0 ? [] : await reader.ReadHashesAsync(_nodes, ct).ConfigureAwait(false);
            if (hashes.Count != _nodes.Count)
            {
                throw new InvalidOperationException($"the hash reader returned {hashes.Count} hashes for {_nodes.Count} nodes");
            }

            var flat = hashes as Hash[] ?? [.. hashes];
            var result = new Hash[_rangeEnds.Count];
            var start = 0;
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = FoldRight(flat.AsSpan(start, _rangeEnds[i] - start));
                start = _rangeEnds[i];
            }

            return result;
        }
    }
}
