using System.Globalization;
using Atelier.Core;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;

namespace Atelier.Media.Images;

/// <summary>
/// Reads the EXIF facts we keep (CIPA DC-008 Exif 2.32: DateTimeOriginal 0x9003, OffsetTimeOriginal 0x9011,
/// Make, Model, Orientation, GPSLatitude) with MetadataExtractor. Broken metadata never refuses an image
/// whose pixels decode: the fields are just left empty.
/// </summary>
internal static class ExifReader
{
    public static ImageMetadata Apply(ImageMetadata image, string path)
    {
        IReadOnlyList<MetadataExtractor.Directory> directories;
        try
        {
            using var stream = MediaFile.OpenRead(path);
            directories = ImageMetadataReader.ReadMetadata(stream);
        }
        catch (Exception ex) when (ex is ImageProcessingException or MetadataException or IOException
            or ArgumentException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            return image;
        }

        var ifd0 = directories.OfType<ExifIfd0Directory>().FirstOrDefault();
        var subIfd = directories.OfType<ExifSubIfdDirectory>().FirstOrDefault();
        var (captureTime, hasOffset) = ReadCaptureTime(subIfd);
        return image with
        {
            CaptureTime = captureTime,
            CaptureTimeHasOffset = hasOffset,
            CameraMake = Clean(ifd0?.GetString(ExifDirectoryBase.TagMake)),
            CameraModel = Clean(ifd0?.GetString(ExifDirectoryBase.TagModel)),
            Orientation = ifd0 is not null && ifd0.TryGetInt32(ExifDirectoryBase.TagOrientation, out var orientation) && orientation is >= 1 and <= 8
                ? orientation
                : null,
            HasGps = directories.OfType<GpsDirectory>().Any(gps => gps.ContainsTag(GpsDirectory.TagLatitude)),
        };
    }

    /// <summary>
    /// EXIF stores DateTimeOriginal as a zone-less wall-clock time. With OffsetTimeOriginal ("+08:00") we know
    /// the instant; without it we keep the wall clock at offset zero and say so, rather than guess the zone
    /// from the server's.
    /// </summary>
    private static (DateTimeOffset? Time, bool HasOffset) ReadCaptureTime(ExifSubIfdDirectory? subIfd)
    {
        if (subIfd is null || !subIfd.TryGetDateTime(ExifDirectoryBase.TagDateTimeOriginal, out var wallClock))
        {
            return (null, false);
        }

        wallClock = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        var offsetText = subIfd.GetString(ExifDirectoryBase.TagTimeZoneOriginal)?.Trim('\0', ' ');
        if (offsetText is { Length: 6 } && (offsetText[0] is '+' or '-')
            && TimeSpan.TryParseExact(offsetText[1..], @"hh\:mm", CultureInfo.InvariantCulture, out var magnitude)
            && magnitude <= TimeSpan.FromHours(14))
        {
            var offset = offsetText[0] == '-' ? -magnitude : magnitude;
            return (new DateTimeOffset(wallClock, offset), true);
        }

        return (new DateTimeOffset(wallClock, TimeSpan.Zero), false);
    }

    private static string? Clean(string? value)
    {
        var trimmed = value?.Trim('\0', ' ');
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
}
