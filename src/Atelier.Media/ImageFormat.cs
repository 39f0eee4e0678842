namespace Atelier.Media;

/// <summary>The image formats this build accepts.</summary>
public enum ImageFormat
{
    Jpeg,
    Png,
    Gif,
    WebP,
    Bmp,
    Tiff,
    Heic,
    Avif,
}

/// <summary>Names and media types of <see cref="ImageFormat"/>.</summary>
public static class ImageFormats
{
    /// <summary>Lower-case stable name stored in <c>ImageMetadata.Format</c>: "jpeg", "png", "gif", "webp", "bmp", "tiff", "heic", "avif".</summary>
    public static string ToName(this ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "jpeg",
        ImageFormat.Png => "png",
        ImageFormat.Gif => "gif",
        ImageFormat.WebP => "webp",
        ImageFormat.Bmp => "bmp",
        ImageFormat.Tiff => "tiff",
        ImageFormat.Heic => "heic",
        ImageFormat.Avif => "avif",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>IANA media type. image/bmp and image/heic are registered; image/avif is the type browsers use.</summary>
    public static string ToMediaType(this ImageFormat format) => "image/" + format.ToName();

    /// <summary>The name people know, for messages: "JPEG", "PNG", "WebP"...</summary>
    internal static string ToDisplayName(this ImageFormat format) => format switch
    {
        ImageFormat.WebP => "WebP",
        _ => format.ToName().ToUpperInvariant(),
    };

    internal static ImageFormat? FromExtension(string extension) => extension switch
    {
        ".jpg" or ".jpeg" or ".jpe" or ".jfif" => ImageFormat.Jpeg,
        ".png" => ImageFormat.Png,
        ".gif" => ImageFormat.Gif,
        ".webp" => ImageFormat.WebP,
        ".bmp" or ".dib" => ImageFormat.Bmp,
        ".tif" or ".tiff" => ImageFormat.Tiff,
        ".heic" or ".heif" => ImageFormat.Heic,
        ".avif" => ImageFormat.Avif,
        _ => null,
    };
}
