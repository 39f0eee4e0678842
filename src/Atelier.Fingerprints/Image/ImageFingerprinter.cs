using System.Buffers;

namespace Atelier.Fingerprints.Image;

/// <summary>
/// Computes an <see cref="ImageFingerprint"/> from decoded pixels. Pass pixels already turned by
/// their EXIF orientation and, for speed, shrunk on load to fit about 512×512 (more buys nothing:
/// upstream's photo hasher itself works at 512).
/// </summary>
public static class ImageFingerprinter
{
    /// <summary>Upstream's photo hasher squashes anything larger than this to a square of this side before PDQ.</summary>
    public const int UpstreamSquashSide = 512;

    /// <summary>Fingerprints one image.</summary>
    /// <param name="pixels">Rows of pixels, top to bottom, tightly packed.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="format">Byte layout of each pixel.</param>
    /// <param name="sourceWidth">Width of the encoded image before any shrink on load (0: same as <paramref name="width"/>).</param>
    /// <param name="sourceHeight">Height of the encoded image before any shrink on load (0: same as <paramref name="height"/>).</param>
    /// <param name="maxFeatures">Local features to keep.</param>
    public static ImageFingerprint Compute(ReadOnlySpan<byte> pixels, int width, int height, PixelFormat format, int sourceWidth = 0, int sourceHeight = 0, int maxFeatures = LocalFeatures.DefaultMaxFeatures)
    {
        if (sourceWidth <= 0 || sourceHeight <= 0)
        {
            sourceWidth = width;
            sourceHeight = height;
        }

        var count = width * height;
        var lumaArray = ArrayPool<float>.Shared.Rent(Math.Max(count, 1));
        var grayArray = ArrayPool<byte>.Shared.Rent(Math.Max(count, 1));
        try
        {
            var luma = lumaArray.AsSpan(0, count);
            var gray = grayArray.AsSpan(0, count);
            PdqHasher.ToLuminance(pixels, width, height, format, 0, luma);
            for (var i = 0; i < count; i++)
            {
                gray[i] = (byte)Math.Clamp((int)(luma[i] + 0.5f), 0, 255);
            }

            var pdq = new PdqHash[8];
            var quality = HashLikeUpstream(luma, width, height, width, sourceWidth > UpstreamSquashSide || sourceHeight > UpstreamSquashSide, pdq);

            var content = BorderTrim.FindContent(gray, width, height);
            if (content is not { } c)
            {
                return new ImageFingerprint(pdq, quality, null, [], 0, LocalFeatures.Detect(gray, width, height, maxFeatures));
            }

            var contentPdq = new PdqHash[8];
            var region = luma[((c.Y * width) + c.X)..];
            var large = (long)c.Width * sourceWidth / width > UpstreamSquashSide || (long)c.Height * sourceHeight / height > UpstreamSquashSide;
            var contentQuality = HashLikeUpstream(region, c.Width, c.Height, width, large, contentPdq);
            var cropped = new byte[c.Width * c.Height];
            for (var y = 0; y < c.Height; y++)
            {
                gray.Slice(((c.Y + y) * width) + c.X, c.Width).CopyTo(cropped.AsSpan(y * c.Width, c.Width));
            }

            var where = new RegionF((double)c.X / width, (double)c.Y / height, (double)c.Width / width, (double)c.Height / height);
            return new ImageFingerprint(pdq, quality, where, contentPdq, contentQuality, LocalFeatures.Detect(cropped, c.Width, c.Height, maxFeatures));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(lumaArray);
            ArrayPool<byte>.Shared.Return(grayArray);
        }
    }

    /// <summary>
    /// PDQ as upstream's photo hasher computes it: images that were larger than 512 px on a side are
    /// squashed to 512×512 first. The caller's pixels are usually already shrunk to fit 512 with the
    /// aspect kept, so this stretches the short side back; on the dev photos that halves the median
    /// distance to upstream's hashes (8 bits without, 4 with).
    /// </summary>
    private static int HashLikeUpstream(ReadOnlySpan<float> luma, int width, int height, int stride, bool squash, Span<PdqHash> hashes)
    {
        if (!squash || (width == UpstreamSquashSide && height == UpstreamSquashSide))
        {
            return PdqHasher.HashLuminanceDihedral(luma, width, height, hashes, stride);
        }

        const int side = UpstreamSquashSide;
        var squashed = ArrayPool<float>.Shared.Rent(side * side);
        try
        {
            Resample.Bilinear(luma, width, height, stride, squashed.AsSpan(0, side * side), side, side);
            return PdqHasher.HashLuminanceDihedral(squashed.AsSpan(0, side * side), side, side, hashes);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(squashed);
        }
    }
}
