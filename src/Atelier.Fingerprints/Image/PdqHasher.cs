using System.Buffers;

namespace Atelier.Fingerprints.Image;

/// <summary>How the bytes of a pixel buffer are laid out.</summary>
public enum PixelFormat
{
    /// <summary>One byte per pixel, luminance.</summary>
    Gray8 = 1,

    /// <summary>Three bytes per pixel: red, green, blue.</summary>
    Rgb24 = 3,

    /// <summary>Four bytes per pixel: red, green, blue, alpha (alpha is ignored, as upstream does).</summary>
    Rgba32 = 4,
}

/// <summary>A PDQ hash with its quality (0–100).</summary>
/// <param name="Hash">The 256-bit hash.</param>
/// <param name="Quality">
/// Upstream's image-domain quality: the sum of significant gradients of the 64×64 block, scaled to
/// 0–100. Flat or nearly flat images score low and their hashes are unreliable.
/// </param>
public readonly record struct PdqResult(PdqHash Hash, int Quality)
{
    /// <summary>True when the quality is at most <see cref="PdqHasher.LowQualityMax"/>: never match on this hash alone.</summary>
    public bool IsLowQuality => Quality <= PdqHasher.LowQualityMax;
}

/// <summary>
/// PDQ, Meta's perceptual image hash, following the algorithm description in ThreatExchange
/// pdq/README.md and hashing.pdf (2017): luminance from RGB with Rec. 601 weights, the Jarosz
/// tent-filter downsample to 64×64 (§2), the 16×16 low-frequency block of the 64×64 DCT-II skipping
/// the DC row and column (§3), and one bit per coefficient: above the block's median or not.
/// The eight dihedral hashes come from the one DCT by sign flips and a transpose (§4).
/// </summary>
/// <remarks>
/// Decoding is the caller's: pass pixels already oriented (EXIF applied). Upstream's photo hasher
/// first squashes anything larger than 512 px to 512×512; the filter makes the result nearly
/// independent of the input size, so callers may pass any size (see the benchmarks for the trade-off).
/// </remarks>
public static class PdqHasher
{
    /// <summary>Hashes of this quality or lower are kept but never matched on alone (upstream's advice).</summary>
    public const int LowQualityMax = 49;

    /// <summary>Upstream returns the all-zero hash with quality 0 below this width or height.</summary>
    public const int MinDimension = 5;

    /// <summary>Largest input accepted, in pixels; decoders shrink photos long before this.</summary>
    public const long MaxPixels = 1L << 28;

    private const float LumaR = 0.299f;
    private const float LumaG = 0.587f;
    private const float LumaB = 0.114f;
    private const int Block = Jarosz.Size;
    private const int Coefficients = 16;

    // Rows 1..16 of the 64-point DCT-II basis (row 0, the DC term, is skipped), scaled by sqrt(2/64).
    private static readonly float[] DctMatrix = BuildDctMatrix();

    /// <summary>Hashes a pixel buffer.</summary>
    /// <param name="pixels">Rows of pixels, top to bottom.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="format">Byte layout of each pixel.</param>
    /// <param name="stride">Bytes from one row to the next; 0 means tightly packed.</param>
    public static PdqResult Hash(ReadOnlySpan<byte> pixels, int width, int height, PixelFormat format, int stride = 0)
    {
        Span<PdqHash> one = stackalloc PdqHash[1];
        var quality = Hash(pixels, width, height, format, stride, one, dihedral: false);
        return new PdqResult(one[0], quality);
    }

    /// <summary>Hashes a pixel buffer and writes all eight dihedral hashes, in <see cref="Dihedral"/> order.</summary>
    /// <returns>The quality, shared by the eight hashes.</returns>
    public static int HashDihedral(ReadOnlySpan<byte> pixels, int width, int height, PixelFormat format, Span<PdqHash> hashes, int stride = 0)
    {
        if (hashes.Length < 8)
        {
            throw new ArgumentException("room for the 8 dihedral hashes is needed", nameof(hashes));
        }

        return Hash(pixels, width, height, format, stride, hashes, dihedral: true);
    }

    /// <summary>Converts pixels to PDQ's float luminance (0–255), row-major with stride <paramref name="width"/>.</summary>
    public static void ToLuminance(ReadOnlySpan<byte> pixels, int width, int height, PixelFormat format, int stride, Span<float> luma)
    {
        var bpp = CheckBuffer(pixels, width, height, format, ref stride);
        if (luma.Length < width * height)
        {
            throw new ArgumentException("the luminance buffer is smaller than width × height", nameof(luma));
        }

        for (var y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * stride, width * bpp);
            var dst = luma.Slice(y * width, width);
            if (format == PixelFormat.Gray8)
            {
                for (var x = 0; x < width; x++)
                {
                    dst[x] = row[x];
                }
            }
            else
            {
                for (int x = 0, p = 0; x < width; x++, p += bpp)
                {
                    dst[x] = (LumaR * row[p]) + (LumaG * row[p + 1]) + (LumaB * row[p + 2]);
                }
            }
        }
    }

    /// <summary>Hashes a region of a luminance plane (values 0–255).</summary>
    /// <param name="luma">The plane, starting at the region's top-left sample.</param>
    /// <param name="width">Region width.</param>
    /// <param name="height">Region height.</param>
    /// <param name="stride">Samples from one row to the next; 0 means <paramref name="width"/>.</param>
    public static PdqResult HashLuminance(ReadOnlySpan<float> luma, int width, int height, int stride = 0)
    {
        Span<float> dct = stackalloc float[Coefficients * Coefficients];
        var quality = DctOfLuminance(luma, width, height, stride, dct);
        return new PdqResult(quality < 0 ? default : Threshold(dct), Math.Max(quality, 0));
    }

    /// <summary>Hashes a region of a luminance plane and writes its eight dihedral hashes.</summary>
    /// <returns>The quality, shared by the eight hashes.</returns>
    public static int HashLuminanceDihedral(ReadOnlySpan<float> luma, int width, int height, Span<PdqHash> hashes, int stride = 0)
    {
        if (hashes.Length < 8)
        {
            throw new ArgumentException("room for the 8 dihedral hashes is needed", nameof(hashes));
        }

        Span<float> dct = stackalloc float[Coefficients * Coefficients];
        var quality = DctOfLuminance(luma, width, height, stride, dct);
        if (quality < 0)
        {
            hashes[..8].Clear();
            return 0;
        }

        WriteDihedral(dct, hashes);
        return quality;
    }

    /// <summary>The dihedral hash of a 16×16 DCT block: the hash the transformed image would have.</summary>
    public static PdqHash TransformedHash(ReadOnlySpan<float> dct16x16, Dihedral transform)
    {
        Span<float> moved = stackalloc float[Coefficients * Coefficients];
        Transform(dct16x16, transform, moved);
        return Threshold(moved);
    }

    private static int Hash(ReadOnlySpan<byte> pixels, int width, int height, PixelFormat format, int stride, Span<PdqHash> hashes, bool dihedral)
    {
        CheckBuffer(pixels, width, height, format, ref stride);
        var count = width * height;
        var rented = ArrayPool<float>.Shared.Rent(count);
        try
        {
            var luma = rented.AsSpan(0, count);
            ToLuminance(pixels, width, height, format, stride, luma);
            return dihedral
                ? HashLuminanceDihedral(luma, width, height, hashes)
                : Store(HashLuminance(luma, width, height), hashes);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }

        static int Store(PdqResult r, Span<PdqHash> hashes)
        {
            hashes[0] = r.Hash;
            return r.Quality;
        }
    }

    /// <summary>Downsample, quality and DCT; returns -1 (and leaves <paramref name="dct"/> alone) below the minimum size.</summary>
    private static int DctOfLuminance(ReadOnlySpan<float> luma, int width, int height, int stride, Span<float> dct)
    {
        if (stride == 0)
        {
            stride = width;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, width);
        if ((long)width * height > MaxPixels)
        {
            throw new ArgumentException($"{width}×{height} is over the {MaxPixels} pixel limit");
        }

        if (width < MinDimension || height < MinDimension)
        {
            return -1;
        }

        if (luma.Length < ((long)stride * (height - 1)) + width)
        {
            throw new ArgumentException("the luminance buffer is smaller than its region", nameof(luma));
        }

        Span<float> block = stackalloc float[Block * Block];
        Jarosz.Downsample(luma, width, height, stride, block);
        var quality = Quality(block);
        Dct(block, dct);
        return quality;
    }

    /// <summary>
    /// Upstream's heuristic: the sum over the 64×64 block of |difference between neighbours| in
    /// percent of full scale, truncated to whole percents so only significant gradients count,
    /// divided by 90 and capped at 100.
    /// </summary>
    internal static int Quality(ReadOnlySpan<float> block)
    {
        var sum = 0;
        for (var i = 0; i < Block - 1; i++)
        {
            for (var j = 0; j < Block; j++)
            {
                sum += Math.Abs((int)((block[(i * Block) + j] - block[((i + 1) * Block) + j]) * 100 / 255));
            }
        }

        for (var i = 0; i < Block; i++)
        {
            for (var j = 0; j < Block - 1; j++)
            {
                sum += Math.Abs((int)((block[(i * Block) + j] - block[(i * Block) + j + 1]) * 100 / 255));
            }
        }

        return Math.Min(sum / 90, 100);
    }

    /// <summary>B = D · A · Dᵀ, with D the 16×64 DCT matrix: only the 16×16 coefficients PDQ keeps.</summary>
    internal static void Dct(ReadOnlySpan<float> block, Span<float> output)
    {
        var d = DctMatrix.AsSpan();
        Span<float> t = stackalloc float[Coefficients * Block];
        t.Clear();

        // T = D·A, accumulated a row of A at a time so the inner loop runs over contiguous columns.
        for (var i = 0; i < Coefficients; i++)
        {
            var ti = t.Slice(i * Block, Block);
            var di = d.Slice(i * Block, Block);
            for (var k = 0; k < Block; k++)
            {
                var dik = di[k];
                var ak = block.Slice(k * Block, Block);
                for (var j = 0; j < Block; j++)
                {
                    ti[j] += dik * ak[j];
                }
            }
        }

        for (var i = 0; i < Coefficients; i++)
        {
            var ti = t.Slice(i * Block, Block);
            for (var j = 0; j < Coefficients; j++)
            {
                var dj = d.Slice(j * Block, Block);
                float sum = 0;
                for (var k = 0; k < Block; k++)
                {
                    sum += ti[k] * dj[k];
                }

                output[(i * Coefficients) + j] = sum;
            }
        }
    }

    /// <summary>One bit per coefficient: set when it is above the median (the 128th smallest of 256, as Torben's method picks).</summary>
    internal static PdqHash Threshold(ReadOnlySpan<float> dct)
    {
        Span<float> sorted = stackalloc float[Coefficients * Coefficients];
        dct[..sorted.Length].CopyTo(sorted);
        sorted.Sort();
        var median = sorted[(sorted.Length / 2) - 1];
        Span<ulong> w = stackalloc ulong[4];
        for (var k = 0; k < sorted.Length; k++)
        {
            if (dct[k] > median)
            {
                w[k >> 6] |= 1UL << (k & 63);
            }
        }

        return new PdqHash(w[0], w[1], w[2], w[3]);
    }

    private static void WriteDihedral(ReadOnlySpan<float> dct, Span<PdqHash> hashes)
    {
        Span<float> moved = stackalloc float[Coefficients * Coefficients];
        hashes[0] = Threshold(dct);
        for (var t = 1; t < 8; t++)
        {
            Transform(dct, (Dihedral)t, moved);
            hashes[t] = Threshold(moved);
        }
    }

    /// <summary>
    /// Reversing an axis multiplies the DCT basis of frequency k by (-1)^k; the kept coefficients are
    /// frequencies 1..16 at indices 0..15, so even indices change sign. A quarter turn or a diagonal
    /// reflection also swaps the axes (a transpose).
    /// </summary>
    private static void Transform(ReadOnlySpan<float> a, Dihedral transform, Span<float> b)
    {
        var (transpose, negateEvenRows, negateEvenColumns) = transform switch
        {
            Dihedral.Original => (false, false, false),
            Dihedral.Rotate90 => (true, false, true),
            Dihedral.Rotate180 => (false, true, true),
            Dihedral.Rotate270 => (true, true, false),
            Dihedral.FlipX => (false, true, false),
            Dihedral.FlipY => (false, false, true),
            Dihedral.FlipPlus1 => (true, false, false),
            Dihedral.FlipMinus1 => (true, true, true),
            _ => throw new ArgumentOutOfRangeException(nameof(transform), transform, "not a dihedral transform"),
        };
        for (var i = 0; i < Coefficients; i++)
        {
            for (var j = 0; j < Coefficients; j++)
            {
                var negate = (negateEvenRows && (i & 1) == 0) ^ (negateEvenColumns && (j & 1) == 0);
                var v = negate ? -a[(i * Coefficients) + j] : a[(i * Coefficients) + j];
                b[transpose ? (j * Coefficients) + i : (i * Coefficients) + j] = v;
            }
        }
    }

    private static int CheckBuffer(ReadOnlySpan<byte> pixels, int width, int height, PixelFormat format, ref int stride)
    {
        var bpp = format switch
        {
            PixelFormat.Gray8 => 1,
            PixelFormat.Rgb24 => 3,
            PixelFormat.Rgba32 => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown pixel format"),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        if ((long)width * height > MaxPixels)
        {
            throw new ArgumentException($"{width}×{height} is over the {MaxPixels} pixel limit");
        }

        if (stride == 0)
        {
            stride = width * bpp;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(stride, width * bpp);
        if (height > 0 && pixels.Length < ((long)stride * (height - 1)) + ((long)width * bpp))
        {
            throw new ArgumentException($"{pixels.Length} bytes is too few for {width}×{height} {format} with stride {stride}", nameof(pixels));
        }

        return bpp;
    }

    private static float[] BuildDctMatrix()
    {
        var m = new float[Coefficients * Block];
        var scale = Math.Sqrt(2.0 / Block);
        for (var i = 0; i < Coefficients; i++)
        {
            for (var j = 0; j < Block; j++)
            {
                m[(i * Block) + j] = (float)(scale * Math.Cos(Math.PI / 2 / Block * (i + 1) * ((2 * j) + 1)));
            }
        }

        return m;
    }
}
