using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Atelier.Fingerprints.Image;

/// <summary>
/// Everything Atelier keeps to recognise one image: the PDQ hash of the whole picture with its eight
/// dihedral variants, the same for the picture inside a plain frame or canvas when there is one, and
/// the local features for crops, turns, overlays and embeddings.
/// </summary>
/// <param name="Pdq">The eight dihedral PDQ hashes of the whole image, in <see cref="Dihedral"/> order.</param>
/// <param name="Quality">PDQ quality (0–100) of the whole image.</param>
/// <param name="Content">Where the picture sits inside a plain border, in fractions of the image; null when there is no border.</param>
/// <param name="ContentPdq">The eight dihedral PDQ hashes of <see cref="Content"/>; empty when there is no border.</param>
/// <param name="ContentQuality">PDQ quality of <see cref="Content"/>.</param>
/// <param name="Features">Local features of the content (or of the whole image when there is no border).</param>
public sealed record ImageFingerprint(PdqHash[] Pdq, int Quality, RegionF? Content, PdqHash[] ContentPdq, int ContentQuality, LocalFeatureSet Features)
{
    /// <summary>Format version written first in <see cref="ToBytes"/>.</summary>
    public const byte FormatVersion = 1;

    private static ReadOnlySpan<byte> Magic => "AFI"u8;

    /// <summary>The PDQ hash of the image as it is, the one upstream tools print.</summary>
    public PdqHash Hash => Pdq[0];

    /// <summary>True when the whole-image PDQ hash is too weak to match on alone (quality ≤ 49).</summary>
    public bool IsLowQuality => Quality <= PdqHasher.LowQualityMax;

    /// <summary>
    /// The compact binary form the catalog stores: 3-byte magic, version, the hashes, then per feature
    /// its position (1/16 px), angle (1/100°), response (half float) and 32-byte descriptor, all little-endian.
    /// About 300 bytes plus 40 per feature (20 KB at the default 500 features).
    /// </summary>
    public byte[] ToBytes()
    {
        var hasContent = Content is not null && ContentPdq.Length == 8;
        var size = 4 + 1 + (8 * PdqHash.Bytes) + 1 + (hasContent ? 8 + 1 + (8 * PdqHash.Bytes) : 0) + 6 + (Features.Count * FeatureBytes);
        var buffer = new byte[size];
        var span = buffer.AsSpan();
        Magic.CopyTo(span);
        span[3] = FormatVersion;
        var o = 4;
        span[o++] = (byte)Quality;
        o = WriteHashes(span, o, Pdq);
        span[o++] = hasContent ? (byte)1 : (byte)0;
        if (hasContent)
        {
            var c = Content!.Value;
            foreach (var v in new[] { c.X, c.Y, c.Width, c.Height })
            {
                BinaryPrimitives.WriteUInt16LittleEndian(span[o..], (ushort)Math.Round(Math.Clamp(v, 0, 1) * ushort.MaxValue));
                o += 2;
            }

            span[o++] = (byte)ContentQuality;
            o = WriteHashes(span, o, ContentPdq);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(span[o..], (ushort)Features.FrameWidth);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(o + 2)..], (ushort)Features.FrameHeight);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(o + 4)..], (ushort)Features.Count);
        o += 6;
        for (var i = 0; i < Features.Count; i++)
        {
            var p = Features.Points[i];
            BinaryPrimitives.WriteUInt16LittleEndian(span[o..], (ushort)Math.Clamp(Math.Round(p.X * 16), 0, ushort.MaxValue));
            BinaryPrimitives.WriteUInt16LittleEndian(span[(o + 2)..], (ushort)Math.Clamp(Math.Round(p.Y * 16), 0, ushort.MaxValue));
            BinaryPrimitives.WriteUInt16LittleEndian(span[(o + 4)..], (ushort)Math.Clamp(Math.Round(p.Angle * 100), 0, 36000));
            BinaryPrimitives.WriteHalfLittleEndian(span[(o + 6)..], (Half)p.Response);
            Features.Descriptors[i].WriteTo(span[(o + 8)..]);
            o += FeatureBytes;
        }

        return buffer;
    }

    /// <summary>Reads the form written by <see cref="ToBytes"/>.</summary>
    /// <exception cref="FormatException">The bytes are not an image fingerprint of a known version.</exception>
    public static ImageFingerprint FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4 + 1 + (8 * PdqHash.Bytes) + 1 + 6 || !bytes[..3].SequenceEqual(Magic))
        {
            throw new FormatException("not an Atelier image fingerprint");
        }

        if (bytes[3] != FormatVersion)
        {
            throw new FormatException($"image fingerprint version {bytes[3]} is not supported (expected {FormatVersion})");
        }

        var o = 4;
        int quality = bytes[o++];
        var pdq = ReadHashes(bytes, ref o);
        var hasContent = bytes[o++] == 1;
        RegionF? content = null;
        PdqHash[] contentPdq = [];
        var contentQuality = 0;
        if (hasContent)
        {
            Need(bytes, o, 8 + 1 + (8 * PdqHash.Bytes));
            Span<double> r = stackalloc double[4];
            for (var i = 0; i < 4; i++)
            {
                r[i] = BinaryPrimitives.ReadUInt16LittleEndian(bytes[o..]) / (double)ushort.MaxValue;
                o += 2;
            }

            content = new RegionF(r[0], r[1], r[2], r[3]);
            contentQuality = bytes[o++];
            contentPdq = ReadHashes(bytes, ref o);
        }

        Need(bytes, o, 6);
        int fw = BinaryPrimitives.ReadUInt16LittleEndian(bytes[o..]);
        int fh = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(o + 2)..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(o + 4)..]);
        o += 6;
        if (bytes.Length != o + (count * FeatureBytes))
        {
            throw new FormatException($"image fingerprint declares {count} features but has {bytes.Length - o} bytes for them");
        }

        var points = new Keypoint[count];
        var descriptors = new PdqHash[count];
        for (var i = 0; i < count; i++)
        {
            points[i] = new Keypoint(
                BinaryPrimitives.ReadUInt16LittleEndian(bytes[o..]) / 16f,
                BinaryPrimitives.ReadUInt16LittleEndian(bytes[(o + 2)..]) / 16f,
                BinaryPrimitives.ReadUInt16LittleEndian(bytes[(o + 4)..]) / 100f,
                (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(o + 6)..]));
            descriptors[i] = PdqHash.Read(bytes.Slice(o + 8, PdqHash.Bytes));
            o += FeatureBytes;
        }

        return new ImageFingerprint(pdq, quality, content, contentPdq, contentQuality, new LocalFeatureSet(fw, fh, points, descriptors));
    }

    /// <summary>Lower-case hex SHA-256 of <see cref="ToBytes"/>: stable for equal fingerprints.</summary>
    public string Digest() => Convert.ToHexStringLower(SHA256.HashData(ToBytes()));

    private const int FeatureBytes = 8 + PdqHash.Bytes;

    private static int WriteHashes(Span<byte> span, int o, PdqHash[] hashes)
    {
        if (hashes.Length != 8)
        {
            throw new InvalidOperationException("an image fingerprint holds exactly 8 dihedral hashes");
        }

        foreach (var h in hashes)
        {
            h.WriteTo(span[o..]);
            o += PdqHash.Bytes;
        }

        return o;
    }

    private static PdqHash[] ReadHashes(ReadOnlySpan<byte> bytes, ref int o)
    {
        Need(bytes, o, 8 * PdqHash.Bytes);
        var hashes = new PdqHash[8];
        for (var i = 0; i < 8; i++)
        {
            hashes[i] = PdqHash.Read(bytes[o..]);
            o += PdqHash.Bytes;
        }

        return hashes;
    }

    private static void Need(ReadOnlySpan<byte> bytes, int offset, int count)
    {
        if (bytes.Length < offset + count)
        {
            throw new FormatException("image fingerprint is truncated");
        }
    }
}
