using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using UtfUnknown;

namespace Atelier.Media.Text;

/// <summary>
/// Finds a text file's encoding and decodes it: a byte-order mark first (Unicode §23.8), then strict UTF-8
/// validation, then an HTML meta charset, then statistical detection (UTF.Unknown, a port of Mozilla's
/// universal charset detector). Legacy labels are widened to the superset decoder the WHATWG Encoding
/// Standard (§4.2, "Names and labels") assigns them: GB2312/GBK → GB18030, EUC-KR → windows-949,
/// ISO-8859-1/ASCII → windows-1252, so every byte the narrower label allows decodes the same.
/// </summary>
internal static class TextDecoding
{
    /// <summary>The detector sees at most this much; more does not change its verdict, only its run time.</summary>
    private const int DetectorSampleBytes = 1 << 20;

    /// <summary>Above this share of U+FFFD after decoding, the bytes are not text in the detected encoding.</summary>
    private const double MaxReplacementShare = 0.01;

    /// <summary>Above this share of control characters (other than tab, line breaks, form feed, ESC, SUB) it is binary.</summary>
    private const double MaxControlShare = 0.005;

    private static readonly Regex MetaCharset = new(
        @"<meta[^>]+charset\s*=\s*[""']?\s*([A-Za-z0-9_.:\-]+)",
        RegexOptions.IgnoreCase | RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);

    static TextDecoding()
    {
        // GB18030, Big5, Shift_JIS, EUC-KR and the windows-125x pages live in the code-pages provider on .NET Core.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>Decodes <paramref name="bytes"/>; returns the text (without BOM) and a stable encoding name.</summary>
    public static (string Text, string Encoding) Decode(ReadOnlySpan<byte> bytes, bool isHtml)
    {
        var (text, name) = DecodeUnchecked(bytes, isHtml);
        RefuseBinary(text);
        return (text, name);
    }

    private static (string Text, string Encoding) DecodeUnchecked(ReadOnlySpan<byte> bytes, bool isHtml)
    {
        if (TryBom(bytes) is { } bom)
        {
            return (Strict(bom.Encoding, bytes[bom.Length..], bom.Name), bom.Name);
        }

        if (bytes.Contains((byte)0))
        {
            // NUL bytes: UTF-16/32 without a BOM, or binary. Only the detector can tell the first apart.
            var wide = Detect(bytes);
            if (wide is { } unicode && unicode.Name.StartsWith("utf-", StringComparison.Ordinal) && unicode.Name != "utf-8")
            {
                var strict = Encoding.GetEncoding(unicode.Encoding.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
                return (Strict(strict, bytes, unicode.Name), unicode.Name);
            }

            throw new MediaException(MediaErrorCode.Unsupported, "unsupported file type: binary data, not text (it contains NUL bytes)");
        }

        if (Utf8.IsValid(bytes))
        {
            return (Strict(new UTF8Encoding(false, true), bytes, "utf-8"), "utf-8");
        }

        var legacy = (isHtml ? FromMetaCharset(bytes) : null) ?? Detect(bytes)
            ?? throw new MediaException(MediaErrorCode.Unsupported, "unsupported file type: not text in any encoding this build recognises");
        var decoding = Encoding.GetEncoding(legacy.Encoding.CodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
        var text = decoding.GetString(bytes);
        var replaced = text.AsSpan().Count('\uFFFD');
        if (replaced > text.Length * MaxReplacementShare)
        {
            throw new MediaException(
                MediaErrorCode.Unsupported,
                $"unsupported file type: not text (as {legacy.Name}, {replaced} of {text.Length} characters are undecodable)");
        }

        return (text, legacy.Name);
    }

    private sealed record Named(Encoding Encoding, string Name, int Length = 0);

    private static Named? TryBom(ReadOnlySpan<byte> bytes)
    {
        // UTF-32 LE's BOM starts with UTF-16 LE's, so it is tested first.
        if (bytes.StartsWith((ReadOnlySpan<byte>)[(byte)0xFF, 0xFE, 0, 0]))
        {
            return new Named(new UTF32Encoding(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true), "utf-32le", 4);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[(byte)0, 0, 0xFE, 0xFF]))
        {
            return new Named(new UTF32Encoding(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true), "utf-32be", 4);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[(byte)0xEF, 0xBB, 0xBF]))
        {
            return new Named(new UTF8Encoding(false, true), "utf-8", 3);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[(byte)0xFF, 0xFE]))
        {
            return new Named(new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true), "utf-16le", 2);
        }

        return bytes.StartsWith((ReadOnlySpan<byte>)[(byte)0xFE, 0xFF])
            ? new Named(new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true), "utf-16be", 2)
            : null;
    }

    private static string Strict(Encoding encoding, ReadOnlySpan<byte> bytes, string name)
    {
        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            var at = ex.Index >= 0 ? $" near byte {ex.Index}" : string.Empty;
            throw new MediaException(MediaErrorCode.Corrupt, $"corrupt text: invalid {name} data{at}", ex);
        }
    }

    private static Named? FromMetaCharset(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 2048)]);
        var match = MetaCharset.Match(head);
        return match.Success ? Resolve(match.Groups[1].Value) : null;
    }

    private static Named? Detect(ReadOnlySpan<byte> bytes)
    {
        var sample = bytes[..Math.Min(bytes.Length, DetectorSampleBytes)].ToArray();
        var detected = CharsetDetector.DetectFromBytes(sample).Detected;
        return detected?.EncodingName is { } name ? Resolve(name) : null;
    }

    /// <summary>Maps a detector or meta label to the decoder we use and the name we report.</summary>
    private static Named? Resolve(string label)
    {
        var key = label.Trim().ToLowerInvariant();
        var (codePage, name) = key switch
        {
            "gb2312" or "gbk" or "x-gbk" or "cp936" or "windows-936" or "gb18030" => (54936, "gb18030"),
            "big5" or "big5-hkscs" or "cp950" => (950, "big5"),
            "shift_jis" or "shift-jis" or "sjis" or "windows-31j" or "cp932" => (932, "shift_jis"),
            "euc-kr" or "ks_c_5601-1987" or "windows-949" or "cp949" => (949, "euc-kr"),
            "iso-8859-1" or "latin1" or "ascii" or "us-ascii" or "windows-1252" => (1252, "windows-1252"),
            "utf-8" or "utf8" => (65001, "utf-8"),
            "utf-16le" or "utf-16" => (1200, "utf-16le"),
            "utf-16be" => (1201, "utf-16be"),
            "utf-32le" or "utf-32" => (12000, "utf-32le"),
            "utf-32be" => (12001, "utf-32be"),
            _ => (0, key),
        };

        try
        {
            var encoding = codePage != 0 ? Encoding.GetEncoding(codePage) : Encoding.GetEncoding(key);
            return new Named(encoding, codePage != 0 ? name : encoding.WebName);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static void RefuseBinary(string text)
    {
        var controls = 0;
        foreach (var c in text)
        {
            if (c == '\0')
            {
                throw new MediaException(MediaErrorCode.Unsupported, "unsupported file type: binary data, not text (it contains NUL characters)");
            }

            if ((c < 0x20 && c is not ('\t' or '\n' or '\r' or '\f' or '\v' or '\x1A' or '\x1B')) || c is >= '\x7F' and <= '\x9F')
            {
                controls++;
            }
        }

        if (controls > text.Length * MaxControlShare)
        {
            throw new MediaException(MediaErrorCode.Unsupported, $"unsupported file type: binary data, not text ({controls} control characters)");
        }
    }
}
