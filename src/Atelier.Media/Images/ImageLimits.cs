using System.Globalization;

namespace Atelier.Media.Images;

/// <summary>The header checks that run before any pixel is decoded (decompression-bomb defence).</summary>
internal static class ImageLimits
{
    public static void Check(int width, int height, int bands, int bytesPerSample, ImageFormat format, MediaOptions options)
    {
        if (width <= 0 || height <= 0)
        {
            throw new MediaException(MediaErrorCode.Corrupt, $"corrupt image: the {format.ToDisplayName()} header declares {width}x{height} px");
        }

        if (width > options.MaxImageDimension || height > options.MaxImageDimension)
        {
            throw new MediaException(
                MediaErrorCode.LimitExceeded,
                Invariant($"image too large: {width}x{height} px exceeds the limit of {options.MaxImageDimension} px on a side (MaxImageDimension)"));
        }

        var pixels = (long)width * height;
        if (pixels > options.MaxImagePixels)
        {
            throw new MediaException(
                MediaErrorCode.LimitExceeded,
                Invariant($"image too large: {width}x{height} px is {pixels / 1e6:0.#} megapixels, over the limit of {options.MaxImagePixels / 1e6:0.#} megapixels (MaxImagePixels)"));
        }

        var raster = pixels * Math.Max(bands, 1) * Math.Max(bytesPerSample, 1);
        if (raster > options.MaxDecodeMemoryBytes)
        {
            throw new MediaException(
                MediaErrorCode.LimitExceeded,
                Invariant($"image too large: its full-resolution raster ({width}x{height} px, {bands} bands of {bytesPerSample * 8} bits) needs {raster / 1048576.0:0.#} MiB, over the decode memory limit of {options.MaxDecodeMemoryBytes / 1048576.0:0.#} MiB (MaxDecodeMemoryBytes)"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
