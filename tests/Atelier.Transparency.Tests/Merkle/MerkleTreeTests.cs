using Atelier.Transparency.Merkle;

namespace Atelier.Transparency.Tests.Merkle;

public class MerkleTreeTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public void Hash_leafAndNode_useRfc6962Prefixes()
    {
        // RFC 6962 §2.1: MTH({d0}) = SHA-256(0x00 || d0), interior nodes SHA-256(0x01 || left || right).
        Assert.Equal(Hash.Compute([0x00, .. "abc"u8]), Hash.Leaf("abc"u8));
        var a = Hash.Leaf("a"u8);
        var b = Hash.Leaf("b"u8);
        Assert.Equal(Hash.Compute([0x01, .. a.ToArray(), .. b.ToArray()]), Hash.Node(a, b));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hash.Empty.ToHex());
        var big = new byte[5000];
        Assert.Equal(Hash.Compute([0x00, .. big]), Hash.Leaf(big));
    }

    [Fact]
    public void Hash_base64_acceptsOnlyCanonical32Bytes()
    {
        var hash = Hash.Leaf("x"u8);
        Assert.True(Hash.TryParseBase64(hash.ToBase64(), out var parsed));
        Assert.Equal(hash, parsed);
        Assert.False(Hash.TryParseBase64(Convert.ToBase64String(new byte[31]), out _));
        Assert.False(Hash.TryParseBase64(Convert.ToBase64String(new byte[33]), out _));
        Assert.False(Hash.TryParseBase64(" " + hash.ToBase64()[1..], out _));
        // 'B' instead of 'A' before '=' sets a padding bit: the same bytes, spelled non-canonically.
        Assert.False(Hash.TryParseBase64(Convert.ToBase64String(new byte[32])[..42] + "B=", out _));
    }

    [Fact]
    public async Task ProveInclusion_everyIndexOfSmallTrees_matchesReferenceAndChecks()
    {
        var tree = new LevelTree();
        for (var size = 1; size <= 80; size++)
        {
            tree.Add(Hash.Leaf(BitConverter.GetBytes(size)));
            var root = tree.Mth(0, size);
            Assert.Equal(root, await MerkleTree.TreeHashAsync(size, tree, Ct));
            for (var index = 0; index < size; index++)
            {
                var proof = await MerkleTree.ProveInclusionAsync(index, size, tree, Ct);
                var leaf = tree.Mth(index, index + 1);
                MerkleTree.CheckInclusion(leaf, index, size, proof, root);
                Assert.Throws<InvalidProofException>(() => MerkleTree.CheckInclusion(Hash.Leaf("other"u8), index, size, proof, root));
                if (size > 1)
                {
                    Assert.Throws<InvalidProofException>(() => MerkleTree.CheckInclusion(leaf, index, size, proof[..^1], root));
                    Assert.Throws<InvalidProofException>(() => MerkleTree.CheckInclusion(leaf, index, size, [.. proof, root], root));
                }
            }
        }
    }

    [Fact]
    public async Task ProveConsistency_everyPairOfSmallTrees_checksAndDetectsForks()
    {
        var tree = new LevelTree(Enumerable.Range(0, 70).Select(i => Hash.Leaf(BitConverter.GetBytes(i))));
        for (var size2 = 1; size2 <= 70; size2++)
        {
            var root2 = tree.Mth(0, size2);
            for (var size1 = 1; size1 <= size2; size1++)
            {
                var root1 = tree.Mth(0, size1);
                var proof = await MerkleTree.ProveConsistencyAsync(size1, size2, tree, Ct);
                MerkleTree.CheckConsistency(size1, size2, root1, root2, proof);
                if (size1 < size2)
                {
                    var forked = Hash.Node(root1, root1);
                    Assert.Throws<InvalidProofException>(() => MerkleTree.CheckConsistency(size1, size2, forked, root2, proof));
                    Assert.Throws<InvalidProofException>(() => MerkleTree.CheckConsistency(size1, size2, root1, forked, proof));
                }
            }
        }
    }

    [Fact]
    public async Task Proofs_badSizes_areRefused()
    {
        var tree = new LevelTree([Hash.Leaf("a"u8), Hash.Leaf("b"u8)]);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await MerkleTree.ProveInclusionAsync(2, 2, tree, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await MerkleTree.ProveConsistencyAsync(0, 2, tree, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await MerkleTree.ProveConsistencyAsync(2, 1, tree, Ct));
        Assert.Throws<InvalidProofException>(() => MerkleTree.CheckConsistency(0, 0, Hash.Empty, Hash.Empty, []));
        Assert.Throws<InvalidProofException>(() => MerkleTree.CheckInclusion(Hash.Empty, -1, 2, [], Hash.Empty));
        Assert.Empty(await MerkleTree.ProveConsistencyAsync(2, 2, tree, Ct));
    }
}
