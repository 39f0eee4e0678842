using Atelier.Fingerprints.Image;
using NetVips;
using VipsImage = NetVips.Image;

namespace Atelier.Fingerprints.Tests.Image;

/// <summary>Decoded pixels, tightly packed, ready for <see cref="PdqHasher"/>, with the size of the file's image before shrinking (0 when unknown).</summary>
public sealed record DecodedImage(byte[] Pixels, int Width, int Height, PixelFormat Format, int SourceWidth = 0, int SourceHeight = 0)
{
    /// <summary>Bytes per pixel.</summary>
    public int Channels => (int)Format;
}

/// <summary>
/// Decoding glue for tests and benchmarks only: Atelier.Media owns decoding in the product. Uses
/// libvips shrink-on-load (JPEG DCT scaling, WebP/PNG reduce-on-load) through <c>thumbnail</c>, which
/// also applies the EXIF orientation, then converts to 8-bit sRGB or greyscale without alpha.
/// </summary>
public static class VipsDecoder
{
    /// <summary>Decodes a file shrunk to fit <paramref name="maxSide"/>×<paramref name="maxSide"/> (never enlarged).</summary>
    public static DecodedImage Load(string path, int maxSide)
    {
        using var header = VipsImage.NewFromFile(path, access: Enums.Access.Sequential);
        using var thumb = VipsImage.Thumbnail(path, maxSide, height: maxSide, size: Enums.Size.Down);
        var swapped = header.Contains("orientation") && header.Get("orientation") is int o && o >= 5;
        return ToPixels(thumb) with { SourceWidth = swapped ? header.Height : header.Width, SourceHeight = swapped ? header.Width : header.Height };
    }

    /// <summary>Decodes encoded bytes shrunk to fit <paramref name="maxSide"/>×<paramref name="maxSide"/>.</summary>
    public static DecodedImage Load(byte[] encoded, int maxSide)
    {
        using var thumb = VipsImage.ThumbnailBuffer(encoded, maxSide, height: maxSide, size: Enums.Size.Down);
        return ToPixels(thumb);
    }

    /// <summary>Turns any vips image into packed 8-bit pixels: greyscale stays one band, the rest becomes sRGB; alpha is dropped.</summary>
    public static DecodedImage ToPixels(VipsImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var grey = image.Interpretation is Enums.Interpretation.Bw or Enums.Interpretation.Grey16;
        using var colour = image.Colourspace(grey ? Enums.Interpretation.Bw : Enums.Interpretation.Srgb);
        using var noAlpha = colour.HasAlpha() ? colour.ExtractBand(0, n: colour.Bands - 1) : colour.Copy();
        using var bytes = noAlpha.Format == Enums.BandFormat.Uchar ? noAlpha.Copy() : noAlpha.Cast(Enums.BandFormat.Uchar);
        var pixels = bytes.WriteToMemory<byte>();
        var format = bytes.Bands switch
        {
            1 => PixelFormat.Gray8,
            3 => PixelFormat.Rgb24,
            _ => throw new InvalidOperationException($"unexpected {bytes.Bands}-band image after conversion"),
        };
        return new DecodedImage(pixels, bytes.Width, bytes.Height, format);
    }

    /// <summary>Makes a vips image from packed pixels (for generating edits of a decoded original).</summary>
    public static VipsImage FromPixels(DecodedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var vips = VipsImage.NewFromMemoryCopy(image.Pixels, image.Width, image.Height, image.Channels, Enums.BandFormat.Uchar);
        return vips.Copy(interpretation: image.Channels == 1 ? Enums.Interpretation.Bw : Enums.Interpretation.Srgb);
    }
}
