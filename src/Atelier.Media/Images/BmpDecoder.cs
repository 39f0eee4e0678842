using System.Runtime.InteropServices;
using NetVips;
using SkiaSharp;

namespace Atelier.Media.Images;

/// <summary>
/// BMP through Skia's codec: this libvips build has no BMP loader (it would need ImageMagick). BMP has no
/// shrink-on-load, so the image is decoded at full size after the header limits pass, then shrunk by libvips.
/// </summary>
internal static class BmpDecoder
{
    public static (int Width, int Height, RgbImage Pixels) Decode(string path, int maxSide, MediaOptions options)
    {
        using var codec = SKCodec.Create(path, out var opened);
        if (codec is null || codec.EncodedFormat != SKEncodedImageFormat.Bmp)
        {
            throw new MediaException(MediaErrorCode.Corrupt, $"corrupt image: the BMP header cannot be read ({Describe(opened)})");
        }

        var width = codec.Info.Width;
        var height = codec.Info.Height;
        ImageLimits.Check(width, height, bands: 4, bytesPerSample: 1, ImageFormat.Bmp, options);

        var target = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[checked((int)target.BytesSize64)];
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        SKCodecResult decoded;
        try
        {
            decoded = codec.GetPixels(target, handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }

        if (decoded == SKCodecResult.IncompleteInput)
        {
            throw new MediaException(MediaErrorCode.Corrupt, "corrupt image: BMP data ends early (truncated file)");
        }

        if (decoded != SKCodecResult.Success)
        {
            throw new MediaException(MediaErrorCode.Corrupt, $"corrupt image: BMP data is invalid ({Describe(decoded)})");
        }

        using var raw = Image.NewFromMemory(rgba, width, height, bands: 4, Enums.BandFormat.Uchar);
        using var full = raw.Copy(interpretation: Enums.Interpretation.Srgb);
        return (width, height, VipsDecoder.ShrinkDecoded(full, maxSide));
    }

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.InvalidInput => "invalid input",
        SKCodecResult.IncompleteInput => "data ends early",
        SKCodecResult.Unimplemented => "a BMP variant Skia does not implement",
        SKCodecResult.InvalidConversion => "unsupported pixel layout",
        _ => result.ToString(),
    };
}
