using System.Buffers.Binary;
using System.Text;
using Atelier.Core;

namespace Atelier.Media;

/// <summary>What the first bytes of a file say it is.</summary>
/// <param name="Kind">Image (format known), Audio (a container to confirm with ffprobe), or Other.</param>
/// <param name="Image">The image format when <paramref name="Kind"/> is Image.</param>
/// <param name="KnownOther">For Other: a recognised format we refuse, named for the message ("a PDF document").</param>
internal readonly record struct Sniffed(MediaKind Kind, ImageFormat? Image = null, string? KnownOther = null);

/// <summary>
/// Recognises formats by their signatures (magic bytes). Signatures come from each format's spec: JPEG (ITU T.81
/// SOI marker), PNG (RFC 2083 §3.1), GIF89a, RIFF/WebP, BMP (BITMAPFILEHEADER + DIB header size), TIFF 6.0 §2,
/// ISO/IEC 14496-12 'ftyp' brands for HEIF/AVIF/MP4, and the audio containers ffmpeg reads.
/// </summary>
internal static class MediaSniffer
{
    /// <summary>How many leading bytes <see cref="Sniff"/> looks at (enough for an ftyp box's brands).</summary>
    public const int HeadLength = 64;

    public static Sniffed Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[(byte)0xFF, 0xD8, 0xFF]))
        {
            return Image(ImageFormat.Jpeg);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[(byte)0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Image(ImageFormat.Png);
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return Image(ImageFormat.Gif);
        }

        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8) || head.StartsWith("II+\0"u8) || head.StartsWith("MM\0+"u8))
        {
            return Image(ImageFormat.Tiff);
        }

        if (IsBmp(head))
        {
            return Image(ImageFormat.Bmp);
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8))
        {
            var form = head.Slice(8, 4);
            if (form.SequenceEqual("WEBP"u8))
            {
                return Image(ImageFormat.WebP);
            }

            if (form.SequenceEqual("WAVE"u8))
            {
                return new Sniffed(MediaKind.Audio);
            }

            return form.SequenceEqual("AVI "u8) ? Other("an AVI video") : new Sniffed(MediaKind.Other);
        }

        if (head.Length >= 12 && head.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            return SniffIsoBaseMedia(head);
        }

        if (IsAudioSignature(head))
        {
            return new Sniffed(MediaKind.Audio);
        }

        return SniffKnownOther(head);
    }

    private static Sniffed Image(ImageFormat format) => new(MediaKind.Image, format);

    private static Sniffed Other(string name) => new(MediaKind.Other, KnownOther: name);

    private static bool IsBmp(ReadOnlySpan<byte> head)
    {
        // "BM" alone also starts ordinary text, so require a known DIB header size at offset 14
        // (BITMAPCOREHEADER 12, INFOHEADER 40, V2/V3 52/56, OS/2 64, V4 108, V5 124).
        if (head.Length < 18 || head[0] != 'B' || head[1] != 'M')
        {
            return false;
        }

        var dibSize = BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(14, 4));
        return dibSize is 12 or 40 or 52 or 56 or 64 or 108 or 124;
    }

    private static Sniffed SniffIsoBaseMedia(ReadOnlySpan<byte> head)
    {
        var boxSize = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(head), (uint)head.Length);
        var major = Encoding.ASCII.GetString(head.Slice(8, 4));
        var brands = new List<string> { major };
        for (var offset = 16; offset + 4 <= boxSize; offset += 4)
        {
            brands.Add(Encoding.ASCII.GetString(head.Slice(offset, 4)));
        }

        // The major brand decides when it is specific; the generic HEIF brands (mif1, msf1) defer to the
        // compatible brands, where an AVIF file lists "avif".
        if (major is "avif" or "avis")
        {
            return Image(ImageFormat.Avif);
        }

        if (major is "heic" or "heix" or "heim" or "heis" or "hevc" or "hevx")
        {
            return Image(ImageFormat.Heic);
        }

        if (major is "mif1" or "msf1")
        {
            return Image(brands.Contains("avif") || brands.Contains("avis") ? ImageFormat.Avif : ImageFormat.Heic);
        }

        if (major.StartsWith("crx", StringComparison.Ordinal))
        {
            return Other("a camera raw file");
        }

        // M4A, M4B, mp42, isom, 3gp...: audio or video; ffprobe tells which.
        return new Sniffed(MediaKind.Audio);
    }

    private static bool IsAudioSignature(ReadOnlySpan<byte> head) =>
        head.StartsWith("ID3"u8)
        || head.StartsWith("fLaC"u8)
        || head.StartsWith("OggS"u8)
        || head.StartsWith("#!AMR"u8)
        || head.StartsWith("wvpk"u8)
        || head.StartsWith("MAC "u8)
        || head.StartsWith("caff"u8)
        || head.StartsWith(".snd"u8)
        || head.StartsWith((ReadOnlySpan<byte>)[(byte)0x1A, 0x45, 0xDF, 0xA3]) // EBML: Matroska/WebM, audio-only .mka/.weba or video
        || head.StartsWith((ReadOnlySpan<byte>)[(byte)0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11]) // ASF (WMA)
        || head.StartsWith((ReadOnlySpan<byte>)[(byte)0x0B, 0x77]) // AC-3 sync word
        || (head.Length >= 12 && head.StartsWith("FORM"u8) && (head.Slice(8, 4).SequenceEqual("AIFF"u8) || head.Slice(8, 4).SequenceEqual("AIFC"u8)))
        || IsMpegAudioFrame(head);

    /// <summary>
    /// An MPEG audio frame header (ISO/IEC 11172-3 §2.4.2.3: MP3 without ID3) or an ADTS header (ISO/IEC 13818-7
    /// §6.2: raw AAC). Both start with 11 or 12 set sync bits; the reserved field values are rejected so that a
    /// UTF-16 LE byte-order mark (FF FE) is not taken for a frame.
    /// </summary>
    private static bool IsMpegAudioFrame(ReadOnlySpan<byte> head)
    {
        if (head.Length < 3 || head[0] != 0xFF || (head[1] & 0xE0) != 0xE0 || head[1] == 0xFE || head[1] == 0xFF)
        {
            return false;
        }

        var version = (head[1] >> 3) & 0x3;
        var layer = (head[1] >> 1) & 0x3;
        if (layer == 0)
        {
            return (head[1] & 0xF6) == 0xF0; // ADTS: 12 sync bits, layer 00
        }

        var bitrateIndex = head[2] >> 4;
        var sampleRateIndex = (head[2] >> 2) & 0x3;
        return version != 1 && bitrateIndex != 0xF && sampleRateIndex != 0x3;
    }

    private static Sniffed SniffKnownOther(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("%PDF-"u8))
        {
            return Other("a PDF document");
        }

        if (head.StartsWith("PK\x03\x04"u8))
        {
            return Other(Text.ZipContainer.PlainZipDescription);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[(byte)0x1F, 0x8B]) || head.StartsWith((ReadOnlySpan<byte>)[(byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C]) || head.StartsWith("Rar!"u8))
        {
            return Other("a compressed archive");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[(byte)0x7F, (byte)'E', (byte)'L', (byte)'F']) || head.StartsWith("MZ"u8))
        {
            return Other("an executable program");
        }

        if (head.StartsWith("SQLite format 3\0"u8))
        {
            return Other("an SQLite database");
        }

        if (head.StartsWith("8BPS"u8))
        {
            return Other("a Photoshop document");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[(byte)0xFF, 0x0A]) || head.StartsWith((ReadOnlySpan<byte>)[(byte)0, 0, 0, 0x0C, (byte)'J', (byte)'X', (byte)'L', (byte)' ']))
        {
            return Other("a JPEG XL image (not supported by this build)");
        }

        if (head.StartsWith("MThd"u8))
        {
            return Other("a MIDI file (notes, not recorded audio)");
        }

        return new Sniffed(MediaKind.Other);
    }
}
