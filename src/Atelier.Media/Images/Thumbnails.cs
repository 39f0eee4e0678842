namespace Atelier.Media.Images;

/// <summary>Small JPEG previews for reports, decoded under the same limits as everything else.</summary>
public static class Thumbnails
{
    /// <summary>An upright JPEG of <paramref name="path"/> fitting in <paramref name="maxSide"/> pixels.</summary>
    /// <exception cref="MediaException">Not an image, over a limit, corrupt or unreadable.</exception>
    public static byte[] Jpeg(string path, int maxSide, MediaOptions? options = null)
    {
        var rgb = ImageLoader.LoadRgb(path, maxSide, applyExifOrientation: true, options);
        using var image = NetVips.Image.NewFromMemoryCopy(rgb.Pixels.Span, rgb.Width, rgb.Height, 3, NetVips.Enums.BandFormat.Uchar);
        return image.JpegsaveBuffer(q: 75, keep: NetVips.Enums.ForeignKeep.None);
    }
}
