using Atelier.Fingerprints.Image;

namespace Atelier.Fingerprints.Tests.Image;

public sealed class PdqHasherTests
{
    private static byte[] Gradient(int w, int h, int seed)
    {
        var rng = new Random(seed);
        var px = new byte[w * h * 3];
        for (var i = 0; i < px.Length; i++)
        {
            var p = i / 3;
            px[i] = (byte)((((p % w) * 255 / w) + ((p / w) * 97 / h) + rng.Next(40)) & 0xFF);
        }

        return px;
    }

    [Fact]
    public void Hash_flat_image_is_low_quality()
    {
        var flat = Enumerable.Repeat((byte)128, 100 * 80).ToArray();
        var r = PdqHasher.Hash(flat, 100, 80, PixelFormat.Gray8);
        Assert.True(r.IsLowQuality);
        Assert.Equal(0, r.Quality);
    }

    [Fact]
    public void Hash_below_minimum_size_is_zero_with_quality_zero()
    {
        var r = PdqHasher.Hash(new byte[4 * 4], 4, 4, PixelFormat.Gray8);
        Assert.Equal(default, r.Hash);
        Assert.Equal(0, r.Quality);
    }

    [Fact]
    public void Hash_textured_image_sets_half_the_bits()
    {
        var r = PdqHasher.Hash(Gradient(300, 200, 1), 300, 200, PixelFormat.Rgb24);
        Assert.Equal(128, r.Hash.PopCount);
        Assert.False(r.IsLowQuality);
    }

    [Fact]
    public void HashDihedral_first_hash_equals_plain_hash_and_mirror_matches_mirrored_pixels()
    {
        const int w = 64, h = 64;
        var px = Gradient(w, h, 2);
        var hashes = new PdqHash[8];
        PdqHasher.HashDihedral(px, w, h, PixelFormat.Rgb24, hashes);
        Assert.Equal(PdqHasher.Hash(px, w, h, PixelFormat.Rgb24).Hash, hashes[0]);

        var mirrored = new byte[px.Length];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                Array.Copy(px, ((y * w) + x) * 3, mirrored, ((y * w) + (w - 1 - x)) * 3, 3);
            }
        }

        // At 64×64 the downsample is the identity, so mirroring the pixels only flips DCT signs; float
        // rounding may move a coefficient that sits on the median.
        Assert.InRange(hashes[(int)Dihedral.FlipY].DistanceTo(PdqHasher.Hash(mirrored, w, h, PixelFormat.Rgb24).Hash), 0, 2);
    }

    [Fact]
    public void Hash_stride_and_formats_agree()
    {
        const int w = 64, h = 50;
        var rgb = Gradient(w, h, 3);
        var rgba = new byte[w * h * 4];
        var padded = new byte[(w * 3 + 7) * h];
        for (var p = 0; p < w * h; p++)
        {
            Array.Copy(rgb, p * 3, rgba, p * 4, 3);
            rgba[(p * 4) + 3] = 17;
            Array.Copy(rgb, p * 3, padded, ((p / w) * ((w * 3) + 7)) + ((p % w) * 3), 3);
        }

        var expected = PdqHasher.Hash(rgb, w, h, PixelFormat.Rgb24);
        Assert.Equal(expected, PdqHasher.Hash(rgba, w, h, PixelFormat.Rgba32));
        Assert.Equal(expected, PdqHasher.Hash(padded, w, h, PixelFormat.Rgb24, stride: (w * 3) + 7));
    }

    [Fact]
    public void Hash_short_buffer_throws()
    {
        Assert.Throws<ArgumentException>(() => PdqHasher.Hash(new byte[10], 64, 64, PixelFormat.Gray8));
        Assert.Throws<ArgumentException>(() => PdqHasher.Hash(new byte[10], 100_000, 100_000, PixelFormat.Gray8));
    }
}
