using Atelier.Core;

namespace Atelier.Media.Images;

/// <summary>Validates an image by decoding all of it at thumbnail scale, then reads its header facts and EXIF.</summary>
internal static class ImageInspector
{
    /// <summary>Side of the verification decode: small enough to be cheap, large enough that every block is decoded.</summary>
    private const int VerifySide = 256;

    public static MediaInspection Inspect(string path, ImageFormat format, MediaOptions options)
    {
        var (width, height, _) = ImageLoader.Decode(path, format, VerifySide, applyExifOrientation: false, options);
        var metadata = ExifReader.Apply(new ImageMetadata { Width = width, Height = height, Format = format.ToName() }, path);
        return new MediaInspection(MediaKind.Image, format.ToMediaType(), new WorkMetadata { Image = metadata });
    }
}
