using System.Text.Json;
using Atelier.Transparency.Merkle;

namespace Atelier.Transparency.Tests.Merkle;

/// <summary>The transparency-dev/merkle vectors: every inclusion and consistency case, positive and negative.</summary>
public class MerkleTreeVectorTests
{
    /// <summary>
    /// The one vector where this verifier is stricter than the reference: its "roots" are 12-byte
    /// placeholders ("don't care 2"). A SHA-256 root is 32 bytes, so they are refused before any proof logic.
    /// </summary>
    private const string PlaceholderRootsVector = "additional/sizes-are-equal-one-and-proof-is-empty.json";

    [Fact]
    public void CheckInclusion_everyTransparencyDevVector_agreesWithWantErr()
    {
        var vectors = Vectors.ReadAll(Vectors.MerkleInclusion);
        Assert.Equal(98, vectors.Count);
        var disagreements = new List<string>();
        var rejected = 0;
        foreach (var (name, json) in vectors)
        {
            var failed = InclusionFails(json);
            rejected += failed ? 1 : 0;
            if (failed != json.GetProperty("wantErr").GetBoolean())
            {
                disagreements.Add(name);
            }
        }

        Assert.Empty(disagreements);
        Assert.InRange(rejected, 70, 97);
    }

    [Fact]
    public void CheckConsistency_everyTransparencyDevVector_agreesWithWantErr()
    {
        var vectors = Vectors.ReadAll(Vectors.MerkleConsistency);
        Assert.Equal(98, vectors.Count);
        var disagreements = new List<string>();
        foreach (var (name, json) in vectors)
        {
            var failed = ConsistencyFails(json);
            var expected = json.GetProperty("wantErr").GetBoolean() || name == PlaceholderRootsVector;
            if (failed != expected)
            {
                disagreements.Add(name);
            }
        }

        Assert.Empty(disagreements);
    }

    [Fact]
    public void CheckConsistency_placeholderRootsVector_failsOnlyForTheirLength()
    {
        // The reference accepts this vector; the same case with real 32-byte roots passes here too.
        var json = Vectors.ReadAll(Vectors.MerkleConsistency).Single(v => v.Name == PlaceholderRootsVector).Json;
        Assert.False(json.GetProperty("wantErr").GetBoolean());
        Assert.NotEqual(Hash.Size, Convert.FromBase64String(json.GetProperty("root1").GetString()!).Length);
        var root = Hash.Leaf("x"u8);
        MerkleTree.CheckConsistency(json.GetProperty("size1").GetInt64(), json.GetProperty("size2").GetInt64(), root, root, []);
    }

    [Fact]
    public async Task TreeHash_referenceTree_matchesEveryRootAndNode()
    {
        var json = Vectors.ReadJson(Vectors.ReferenceTree);
        var leaves = json.GetProperty("leaf_inputs_hex").EnumerateArray().Select(e => Hash.Leaf(Convert.FromHexString(e.GetString()!))).ToList();
        var roots = json.GetProperty("root_hash_by_tree_size_hex").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(leaves.Count + 1, roots.Count);
        var tree = new LevelTree(leaves);
        for (var size = 0; size < roots.Count; size++)
        {
            Assert.Equal(roots[size], MerkleTree.RootOf(leaves.Take(size).ToArray()).ToHex());
            Assert.Equal(roots[size], (await MerkleTree.TreeHashAsync(size, tree, TestContext.Current.CancellationToken)).ToHex());
        }

        var levels = json.GetProperty("node_hashes_by_level_hex").EnumerateArray().ToList();
        for (var level = 0; level < levels.Count; level++)
        {
            var expected = levels[level].EnumerateArray().Select(e => e.GetString()!).ToList();
            var nodes = Enumerable.Range(0, expected.Count).Select(i => new NodeId(level, i)).ToList();
            var actual = await tree.ReadHashesAsync(nodes, TestContext.Current.CancellationToken);
            Assert.Equal(expected, actual.Select(h => h.ToHex()));
        }
    }

    [Fact]
    public async Task ProveInclusion_referenceTree_reproducesHappyPathVectors()
    {
        var json = Vectors.ReadJson(Vectors.ReferenceTree);
        var tree = new LevelTree(json.GetProperty("leaf_inputs_hex").EnumerateArray().Select(e => Hash.Leaf(Convert.FromHexString(e.GetString()!))));
        var happy = Vectors.ReadAll(Vectors.MerkleInclusion).Where(v => v.Name.EndsWith("/happy-path.json", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(happy);
        foreach (var (_, vector) in happy)
        {
            var proof = await MerkleTree.ProveInclusionAsync(vector.GetProperty("leafIdx").GetInt64(), vector.GetProperty("treeSize").GetInt64(), tree, TestContext.Current.CancellationToken);
            Assert.Equal(Base64List(vector), proof.Select(h => h.ToBase64()));
        }

        var consistent = Vectors.ReadAll(Vectors.MerkleConsistency).Where(v => v.Name.EndsWith("/happy-path.json", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(consistent);
        foreach (var (_, vector) in consistent)
        {
            var proof = await MerkleTree.ProveConsistencyAsync(vector.GetProperty("size1").GetInt64(), vector.GetProperty("size2").GetInt64(), tree, TestContext.Current.CancellationToken);
            Assert.Equal(Base64List(vector), proof.Select(h => h.ToBase64()));
        }
    }

    private static List<string> Base64List(JsonElement vector)
        => vector.GetProperty("proof").ValueKind == JsonValueKind.Null ? [] : [.. vector.GetProperty("proof").EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>True when the vector is rejected: a field is not a 32-byte hash, or the proof fails.</summary>
    private static bool InclusionFails(JsonElement json)
    {
        var readable = TryHash(json, "leafHash", out var leaf) & TryHash(json, "root", out var root) & TryProof(json, out var proof)
            & TrySize(json, "leafIdx", out var index) & TrySize(json, "treeSize", out var size);
        return !readable || Throws(() => MerkleTree.CheckInclusion(leaf, index, size, proof, root));
    }

    private static bool ConsistencyFails(JsonElement json)
    {
        var readable = TryHash(json, "root1", out var root1) & TryHash(json, "root2", out var root2) & TryProof(json, out var proof)
            & TrySize(json, "size1", out var size1) & TrySize(json, "size2", out var size2);
        return !readable || Throws(() => MerkleTree.CheckConsistency(size1, size2, root1, root2, proof));
    }

    private static bool Throws(Action check)
    {
        try
        {
            check();
            return false;
        }
        catch (InvalidProofException)
        {
            return true;
        }
    }

    /// <summary>Sizes and indexes are uint64 in the vectors; past 2^63 − 1 no Atelier log can reach them.</summary>
    private static bool TrySize(JsonElement json, string name, out long value)
    {
        var raw = json.GetProperty(name).GetUInt64();
        value = (long)raw;
        return raw <= long.MaxValue;
    }

    private static bool TryHash(JsonElement json, string name, out Hash hash)
        => Hash.TryFromBytes(Convert.FromBase64String(json.GetProperty(name).GetString() ?? string.Empty), out hash);

    private static bool TryProof(JsonElement json, out Hash[] proof)
    {
        var items = Base64List(json);
        proof = new Hash[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            if (!Hash.TryFromBytes(Convert.FromBase64String(items[i]), out proof[i]))
            {
                return false;
            }
        }

        return true;
    }
}
