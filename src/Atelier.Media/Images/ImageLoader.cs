using Atelier.Core;

namespace Atelier.Media.Images;

/// <summary>
/// Decodes images into small pixel buffers for fingerprinting, under the same limits as inspection: header
/// limits before decoding, shrink-on-load, and corrupt or truncated data refused.
/// </summary>
public static class ImageLoader
{
    /// <summary>Decodes <paramref name="path"/> to 8-bit sRGB fitting in <paramref name="maxSide"/> × <paramref name="maxSide"/>.</summary>
    /// <param name="path">A JPEG, PNG, GIF, WebP, BMP, TIFF, AVIF (or, where the build decodes it, HEIC) file.</param>
    /// <param name="maxSide">Longest side of the result; smaller images keep their size (never upscaled).</param>
    /// <param name="applyExifOrientation">Rotate/flip upright per the EXIF orientation, as viewers display it.</param>
    /// <param name="options">Limits; null for the defaults.</param>
    /// <exception cref="MediaException">Not an image, over a limit, corrupt or unreadable.</exception>
    public static RgbImage LoadRgb(string path, int maxSide, bool applyExifOrientation = true, MediaOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSide);
        var (_, head) = MediaFile.ReadHead(path, MediaSniffer.HeadLength);
        var sniffed = MediaSniffer.Sniff(head);
        if (sniffed.Kind != MediaKind.Image || sniffed.Image is not { } format)
        {
            throw new MediaException(MediaErrorCode.Unsupported, "unsupported file type: not an image this build decodes");
        }

        return Decode(path, format, maxSide, applyExifOrientation, options ?? MediaOptions.Default).Pixels;
    }

    /// <summary>
    /// Like <see cref="LoadRgb"/>, then converted to luma (Rec. 601 weights, as PDQ uses). For PDQ pass
    /// <paramref name="maxSide"/> 512 (the reference squashes larger images to 512) or 64.
    /// </summary>
    public static LumaImage LoadLuma(string path, int maxSide, bool applyExifOrientation = true, MediaOptions? options = null)
    {
        var rgb = LoadRgb(path, maxSide, applyExifOrientation, options);
        return new LumaImage(rgb.Width, rgb.Height, rgb.ToLuma());
    }

    /// <summary>Header check then decode; returns the stored (unrotated) size and the shrunk pixels.</summary>
    internal static (int Width, int Height, RgbImage Pixels) Decode(string path, ImageFormat format, int maxSide, bool applyExifOrientation, MediaOptions options)
    {
        if (format == ImageFormat.Bmp)
        {
            return BmpDecoder.Decode(path, maxSide, options);
        }

        var (width, height) = VipsDecoder.CheckHeader(path, format, options);
        return (width, height, VipsDecoder.DecodeThumbnail(path, format, maxSide, applyExifOrientation));
    }
}
