using NetVips;

namespace Atelier.Media.Images;

/// <summary>Decodes the libvips formats: header and limits first, then a shrink-on-load thumbnail that fails on errors.</summary>
internal static class VipsDecoder
{
    /// <summary>Reads the header (no pixels), checks the loader and the limits, returns the stored size.</summary>
    public static (int Width, int Height) CheckHeader(string path, ImageFormat format, MediaOptions options)
    {
        VipsRuntime.EnsureInitialized();
        try
        {
            var loader = Image.FindLoad(path);
            if (loader is null || !VipsRuntime.IsExpectedLoader(format, loader))
            {
                throw new MediaException(MediaErrorCode.Corrupt, $"corrupt image: the file starts like {format.ToDisplayName()} but its header cannot be read");
            }

            // new_from_file only parses the header; pixels are decoded when something reads them.
            using var header = Image.NewFromFile(path, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error);
            ImageLimits.Check(header.Width, header.Height, header.Bands, BytesPerSample(header.Format), format, options);
            return (header.Width, header.Height);
        }
        catch (VipsException ex)
        {
            throw Fail(ex, format, path);
        }
    }

    /// <summary>
    /// Decodes every pixel, shrunk to fit <paramref name="maxSide"/> on load where the format allows (JPEG DCT
    /// scaling, WebP and HEIF scaled decode, TIFF pyramids); fail_on=error turns truncation or corrupt data into
    /// an exception instead of gray-filled rows. Call <see cref="CheckHeader"/> first.
    /// </summary>
    public static RgbImage DecodeThumbnail(string path, ImageFormat format, int maxSide, bool applyExifOrientation)
    {
        VipsRuntime.EnsureInitialized();
        try
        {
            using var thumbnail = Image.Thumbnail(
                path, maxSide, height: maxSide, size: Enums.Size.Down, noRotate: !applyExifOrientation, failOn: Enums.FailOn.Error);
            return ToRgb(thumbnail);
        }
        catch (VipsException ex)
        {
            throw Fail(ex, format, path);
        }
    }

    /// <summary>Shrinks an already decoded image (the BMP path) the same way.</summary>
    public static RgbImage ShrinkDecoded(Image full, int maxSide)
    {
        VipsRuntime.EnsureInitialized();
        using var thumbnail = full.ThumbnailImage(maxSide, height: maxSide, size: Enums.Size.Down);
        return ToRgb(thumbnail);
    }

    /// <summary>Converts any interpretation (gray, 16-bit, CMYK, Lab, with or without alpha) to 8-bit sRGB.</summary>
    private static RgbImage ToRgb(Image thumbnail)
    {
        var owned = new List<Image>();
        try
        {
            var image = thumbnail;
            if (image.Interpretation != Enums.Interpretation.Srgb)
            {
                image = Track(owned, image.Colourspace(Enums.Interpretation.Srgb));
            }

            if (image.HasAlpha())
            {
                image = Track(owned, image.Flatten(background: [255, 255, 255]));
            }

            if (image.Bands > 3)
            {
                image = Track(owned, image.ExtractBand(0, n: 3));
            }
            else if (image.Bands < 3)
            {
                var gray = Track(owned, image.ExtractBand(0));
                image = Track(owned, gray.Bandjoin(gray, gray));
            }

            if (image.Format != Enums.BandFormat.Uchar)
            {
                image = Track(owned, image.Cast(Enums.BandFormat.Uchar));
            }

            return new RgbImage(image.Width, image.Height, image.WriteToMemory<byte>());
        }
        finally
        {
            foreach (var image in owned)
            {
                image.Dispose();
            }
        }
    }

    private static Image Track(List<Image> owned, Image image)
    {
        owned.Add(image);
        return image;
    }

    internal static int BytesPerSample(Enums.BandFormat format) => format switch
    {
        Enums.BandFormat.Uchar or Enums.BandFormat.Char => 1,
        Enums.BandFormat.Ushort or Enums.BandFormat.Short => 2,
        Enums.BandFormat.Uint or Enums.BandFormat.Int or Enums.BandFormat.Float => 4,
        Enums.BandFormat.Double or Enums.BandFormat.Complex => 8,
        Enums.BandFormat.Dpcomplex => 16,
        _ => 4,
    };

    /// <summary>
    /// Turns libvips' error text into a user-facing reason. Its lines are wrappers ("unable to call thumbnail",
    /// "unable to write to memory") around the decoder's own words, which name the fault.
    /// </summary>
    private static MediaException Fail(VipsException ex, ImageFormat format, string path)
    {
        var lines = ex.Message
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("unable to ", StringComparison.Ordinal))
            .Select(line => line.Replace(path, string.Empty, StringComparison.Ordinal).Trim(' ', ':', '"'))
            .Where(line => line.Length > 0)
            .ToList();
        var detail = lines.FirstOrDefault() ?? "libvips gave no reason";
        var name = format.ToDisplayName();

        if (format == ImageFormat.Heic && lines.Any(line => line.Contains("plugin", StringComparison.OrdinalIgnoreCase) || line.Contains("unsupported", StringComparison.OrdinalIgnoreCase)))
        {
            return new MediaException(MediaErrorCode.Unsupported, "unsupported image: HEIC photos (HEVC-coded) cannot be decoded by this build; export it as JPEG or AVIF", ex);
        }

        string[] truncation = ["premature end", "truncated", "not enough data", "unexpected end", "end of file", "out of data", "read error"];
        if (lines.Any(line => truncation.Any(marker => line.Contains(marker, StringComparison.OrdinalIgnoreCase))))
        {
            return new MediaException(MediaErrorCode.Corrupt, $"corrupt image: {name} data ends early (truncated file)", ex);
        }

        return new MediaException(MediaErrorCode.Corrupt, $"corrupt image: {name} data is invalid ({detail})", ex);
    }
}
