namespace Atelier.Fingerprints.Image;

/// <summary>A rectangle in pixels.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height);

/// <summary>
/// Finds the picture inside a plain frame or canvas: rows and columns are peeled from each side while
/// nearly all their pixels are within a small tolerance of that side's border colour. A copy that
/// was framed, matted or pasted onto a plain background then hashes like the original.
/// </summary>
public static class BorderTrim
{
    /// <summary>Luminance steps (of 255) a border pixel may differ from the border colour (JPEG noise).</summary>
    public const int Tolerance = 10;

    /// <summary>Share of a row or column that must be border-coloured for it to be border.</summary>
    public const double UniformShare = 0.97;

    /// <summary>Trims smaller than this share of a side are ignored, so noise on the edge does not change the hash.</summary>
    public const double MinTrimShare = 0.02;

    /// <summary>What is left must keep at least this share of each side.</summary>
    public const double MinKeepShare = 0.2;

    /// <summary>The content rectangle of an 8-bit luminance image, or null when there is no plain border worth trimming.</summary>
    public static PixelRect? FindContent(ReadOnlySpan<byte> gray, int width, int height)
    {
        if (width < 16 || height < 16 || gray.Length < width * height)
        {
            return null;
        }

        int top = 0, bottom = height, left = 0, right = width;
        var colour = Median(gray[..width]);
        while (top < bottom - 1 && RowIsBorder(gray, width, top, left, right, colour))
        {
            top++;
        }

        colour = Median(gray.Slice((height - 1) * width, width));
        while (bottom - 1 > top && RowIsBorder(gray, width, bottom - 1, left, right, colour))
        {
            bottom--;
        }

        colour = ColumnMedian(gray, width, 0, top, bottom);
        while (left < right - 1 && ColumnIsBorder(gray, width, left, top, bottom, colour))
        {
            left++;
        }

        colour = ColumnMedian(gray, width, width - 1, top, bottom);
        while (right - 1 > left && ColumnIsBorder(gray, width, right - 1, top, bottom, colour))
        {
            right--;
        }

        int w = right - left, h = bottom - top;
        var trimmed = top > height * MinTrimShare || height - bottom > height * MinTrimShare ||
                      left > width * MinTrimShare || width - right > width * MinTrimShare;
        if (!trimmed || w < width * MinKeepShare || h < height * MinKeepShare)
        {
            return null;
        }

        return new PixelRect(left, top, w, h);
    }

    private static bool RowIsBorder(ReadOnlySpan<byte> gray, int width, int y, int from, int to, int colour)
    {
        var row = gray.Slice((y * width) + from, to - from);
        var off = 0;
        foreach (var v in row)
        {
            if (Math.Abs(v - colour) > Tolerance)
            {
                off++;
            }
        }

        return off <= row.Length * (1 - UniformShare);
    }

    private static bool ColumnIsBorder(ReadOnlySpan<byte> gray, int width, int x, int from, int to, int colour)
    {
        var off = 0;
        for (var y = from; y < to; y++)
        {
            if (Math.Abs(gray[(y * width) + x] - colour) > Tolerance)
            {
                off++;
            }
        }

        return off <= (to - from) * (1 - UniformShare);
    }

    private static int Median(ReadOnlySpan<byte> values)
    {
        Span<int> histogram = stackalloc int[256];
        foreach (var v in values)
        {
            histogram[v]++;
        }

        return MedianOf(histogram, values.Length);
    }

    private static int ColumnMedian(ReadOnlySpan<byte> gray, int width, int x, int from, int to)
    {
        Span<int> histogram = stackalloc int[256];
        for (var y = from; y < to; y++)
        {
            histogram[gray[(y * width) + x]]++;
        }

        return MedianOf(histogram, to - from);
    }

    private static int MedianOf(ReadOnlySpan<int> histogram, int count)
    {
        var seen = 0;
        for (var v = 0; v < 256; v++)
        {
            seen += histogram[v];
            if (seen * 2 >= count)
            {
                return v;
            }
        }

        return 255;
    }
}
