using Atelier.Fingerprints.Image;
using Atelier.Testing;

namespace Atelier.Fingerprints.Tests.Image;

public sealed class HammingIndexTests
{
    private static PdqHash Random256(Random rng) => new((ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64());

    private static PdqHash FlipBits(PdqHash h, Random rng, int bits)
    {
        Span<ulong> w = [h.W0, h.W1, h.W2, h.W3];
        foreach (var b in Enumerable.Range(0, 256).OrderBy(_ => rng.Next()).Take(bits))
        {
            w[b >> 6] ^= 1UL << (b & 63);
        }

        return new PdqHash(w[0], w[1], w[2], w[3]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(31)]
    [InlineData(40)]
    [InlineData(64)]
    public void Search_any_radius_finds_exactly_the_brute_force_set(int radius)
    {
        var rng = new Random(radius + 7);
        var hashes = new List<PdqHash>();
        for (var i = 0; i < 3000; i++)
        {
            // Clusters of near hashes so every radius has hits at and around its edge.
            hashes.Add(i % 3 == 0 || hashes.Count == 0 ? Random256(rng) : FlipBits(hashes[^1], rng, rng.Next(0, 70)));
        }

        using var index = new HammingIndex(hashes.Select((h, i) => (h, i)));
        for (var q = 0; q < 200; q++)
        {
            var query = FlipBits(hashes[rng.Next(hashes.Count)], rng, rng.Next(0, radius + 8));
            var expected = Enumerable.Range(0, hashes.Count).Where(i => hashes[i].DistanceTo(query) <= radius).ToHashSet();
            var found = index.Search(query, radius);
            Assert.Equal(expected.Count, found.Count);
            Assert.All(found, hit => Assert.Equal(hashes[hit.Value].DistanceTo(query), hit.Distance));
            Assert.True(expected.SetEquals(found.Select(h => h.Value)));
        }
    }

    [Fact]
    public void Add_beyond_tail_limit_and_remove_keeps_search_exact()
    {
        var rng = new Random(3);
        using var index = new HammingIndex();
        var live = new Dictionary<int, PdqHash>();
        var handles = new Dictionary<int, int>();
        for (var i = 0; i < HammingIndex.TailLimit + 500; i++)
        {
            var h = Random256(rng);
            handles[i] = index.Add(h, i);
            live[i] = h;
        }

        foreach (var i in Enumerable.Range(0, 400))
        {
            Assert.True(index.Remove(handles[i * 7]));
            live.Remove(i * 7);
        }

        Assert.False(index.Remove(handles[0]));
        Assert.Equal(live.Count, index.Count);
        foreach (var (value, hash) in live.Take(50))
        {
            Assert.Contains(index.Search(FlipBits(hash, rng, 20), 31), hit => hit.Value == value);
        }

        foreach (var removed in Enumerable.Range(0, 20).Select(i => i * 7))
        {
            Assert.DoesNotContain(index.Search(FlipBits(live.GetValueOrDefault(removed + 1), rng, 0), 256), hit => hit.Value == removed);
        }

        var map = index.Compact();
        Assert.Equal(-1, map[handles[0]]);
        Assert.Equal(live.Count, index.Count);
        var (someValue, someHash) = live.First();
        Assert.Contains(index.Search(someHash, 0), hit => hit.Value == someValue && hit.Distance == 0);
    }

    [Fact]
    public void Search_removed_entry_is_not_found()
    {
        var h = new PdqHash(1, 2, 3, 4);
        using var index = new HammingIndex();
        var handle = index.Add(h, 42);
        Assert.Single(index.Search(h, 0));
        index.Remove(handle);
        Assert.Empty(index.Search(h, 31));
    }

    [Fact]
    public void FindWithin_vectorized_path_agrees_with_scalar()
    {
        var rng = new Random(11);
        var hashes = Enumerable.Range(0, 1003).Select(_ => Random256(rng)).ToArray();
        for (var q = 0; q < 50; q++)
        {
            var query = FlipBits(hashes[rng.Next(hashes.Length)], rng, rng.Next(0, 140));
            foreach (var radius in new[] { 0, 31, 100, 128, 256 })
            {
                var scalar = new List<int>();
                var chosen = new List<int>();
                Hamming.FindWithinScalar(hashes, query, radius, scalar);
                Hamming.FindWithin(hashes, query, radius, chosen);
                Assert.Equal(scalar, chosen);
                if (Hamming.VectorizedSupported)
                {
                    var vectorized = new List<int>();
                    Hamming.FindWithinVectorized(hashes, query, radius, vectorized);
                    Assert.Equal(scalar, vectorized);
                }
            }
        }
    }

    [Fact]
    public async Task FindWithin_with_wider_paths_switched_off_uses_scalar()
    {
        // STYLE.md "SIMD paths": run the suite's check in a process where the vector path is off.
        var testAssembly = typeof(HammingIndexTests).Assembly.Location;
        var (code, stdout, stderr) = await Fixtures.RunAsync(
            "dotnet",
            [testAssembly, "-method", "Atelier.Fingerprints.Tests.Image.HammingIndexTests.FindWithin_vectorized_path_agrees_with_scalar"],
            env: new Dictionary<string, string> { ["ATELIER_HAMMING_SCALAR"] = "1" },
            timeout: TimeSpan.FromMinutes(2));
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("Total: 1, Errors: 0, Failed: 0", stdout, StringComparison.Ordinal);
    }
}
