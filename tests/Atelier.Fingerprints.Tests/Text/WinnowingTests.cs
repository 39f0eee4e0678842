using Atelier.Fingerprints.Text;

namespace Atelier.Fingerprints.Tests.Text;

public sealed class WinnowingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    public void Select_every_window_holds_a_selected_gram_at_the_expected_density(int window)
    {
        var hashes = RandomHashes(20_000, seed: window);
        var selected = new int[hashes.Length];
        var count = Winnowing.Select(hashes, window, selected);

        // The guarantee: w consecutive grams always contain a selection, and each is the window minimum.
        Assert.True(selected[0] < window);
        for (var i = 1; i < count; i++)
        {
            Assert.InRange(selected[i] - selected[i - 1], 1, window);
        }

        Assert.True(selected[count - 1] >= hashes.Length - window);
        var density = (double)count / hashes.Length;
        Assert.InRange(density, 2.0 / (window + 1) * 0.9, 2.0 / (window + 1) * 1.1);
    }

    [Fact]
    public void Select_equal_hashes_keep_one_selection_per_window()
    {
        // Robust winnowing: a run of equal hashes (repetitive text) does not select every gram.
        var hashes = Enumerable.Repeat(42UL, 100).ToArray();
        var selected = new int[hashes.Length];
        var count = Winnowing.Select(hashes, 4, selected);
        Assert.Equal(25, count);
    }

    [Fact]
    public void Select_is_local_so_a_shared_run_yields_the_same_fingerprints()
    {
        const int Window = 4;
        var shared = RandomHashes(200, seed: 1);
        ulong[] a = [.. RandomHashes(50, seed: 2), .. shared, .. RandomHashes(70, seed: 3)];
        ulong[] b = [.. RandomHashes(90, seed: 4), .. shared];
        var inA = Selected(a, Window).Where(i => i >= 50 + Window && i < 250 - Window).Select(i => a[i]).ToHashSet();
        var inB = Selected(b, Window).Where(i => i >= 90 + Window && i < 290 - Window).Select(i => b[i]).ToHashSet();
        Assert.NotEmpty(inA);
        Assert.Equal(inA, inB);
    }

    [Fact]
    public void Select_shorter_than_a_window_selects_its_minimum()
    {
        ulong[] hashes = [9, 3, 7];
        var selected = new int[3];
        Assert.Equal(1, Winnowing.Select(hashes, 8, selected));
        Assert.Equal(1, selected[0]);
        Assert.Equal(0, Winnowing.Select([], 8, selected));
    }

    private static int[] Selected(ulong[] hashes, int window)
    {
        var selected = new int[hashes.Length];
        return selected.AsSpan(0, Winnowing.Select(hashes, window, selected)).ToArray();
    }

    private static ulong[] RandomHashes(int count, int seed)
    {
        var random = new Random(seed);
        var hashes = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            hashes[i] = (ulong)random.NextInt64();
        }

        return hashes;
    }
}
