namespace Atelier.Server;

/// <summary>
/// One byte range from a Range header (RFC 9110 §14). Only single ranges are served; a multi-range or
/// malformed header is ignored and the whole content is sent, which the RFC allows. If-Range with a
/// different entity tag also yields the whole content.
/// </summary>
public readonly record struct ByteRange(long Start, long Length, bool Partial, bool Unsatisfiable)
{
    public static ByteRange Parse(string? rangeHeader, string? ifRange, string etag, long size)
    {
        var whole = new ByteRange(0, size, false, false);
        if (string.IsNullOrWhiteSpace(rangeHeader) || !rangeHeader.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return whole;
        }

        if (!string.IsNullOrWhiteSpace(ifRange) && !string.Equals(ifRange.Trim(), etag, StringComparison.Ordinal))
        {
            return whole;
        }

        var spec = rangeHeader["bytes=".Length..].Trim();
        if (spec.Contains(',', StringComparison.Ordinal))
        {
            return whole;
        }

        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return whole;
        }

        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            // Suffix range: the last N bytes.
            if (!long.TryParse(last, out var suffix) || suffix < 0)
            {
                return whole;
            }

            if (suffix == 0 || size == 0)
            {
                return new ByteRange(0, 0, false, true);
            }

            var n = Math.Min(suffix, size);
            return new ByteRange(size - n, n, true, false);
        }

        if (!long.TryParse(first, out var start) || start < 0)
        {
            return whole;
        }

        long end;
        if (last.Length == 0)
        {
            end = size - 1;
        }
        else if (!long.TryParse(last, out end) || end < start)
        {
            return whole;
        }

        if (start >= size)
        {
            return new ByteRange(0, 0, false, true);
        }

        end = Math.Min(end, size - 1);
        return new ByteRange(start, end - start + 1, true, false);
    }
}
