using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace Atelier.Fingerprints.Image;

/// <summary>
/// A 256-bit PDQ hash. Bit <c>k</c> is the DCT coefficient at row <c>k / 16</c>, column <c>k % 16</c>
/// of the 16×16 block, set when that coefficient is above the block's median (PDQ, hashing.pdf §3).
/// </summary>
/// <remarks>
/// The hex form is the one upstream prints: 64 lower-case digits, the most significant (bit 255)
/// first, so hashes compare byte for byte with ThreatExchange tools and CSVs.
/// </remarks>
public readonly struct PdqHash : IEquatable<PdqHash>
{
    /// <summary>Size of the hash in bits.</summary>
    public const int Bits = 256;

    /// <summary>Size of the hash in bytes.</summary>
    public const int Bytes = 32;

    /// <summary>Bits 0–63.</summary>
    public ulong W0 { get; }

    /// <summary>Bits 64–127.</summary>
    public ulong W1 { get; }

    /// <summary>Bits 128–191.</summary>
    public ulong W2 { get; }

    /// <summary>Bits 192–255.</summary>
    public ulong W3 { get; }

    /// <summary>Makes a hash from its four 64-bit words, least significant first.</summary>
    public PdqHash(ulong w0, ulong w1, ulong w2, ulong w3)
    {
        W0 = w0;
        W1 = w1;
        W2 = w2;
        W3 = w3;
    }

    /// <summary>True when bit <paramref name="index"/> (0–255) is set.</summary>
    public bool this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Bits);
            var word = (index >> 6) switch
            {
                0 => W0,
                1 => W1,
                2 => W2,
                _ => W3,
            };
            return ((word >> (index & 63)) & 1) != 0;
        }
    }

    /// <summary>Number of set bits.</summary>
    public int PopCount =>
        BitOperations.PopCount(W0) + BitOperations.PopCount(W1) + BitOperations.PopCount(W2) + BitOperations.PopCount(W3);

    /// <summary>The number of bits in which two hashes differ (0–256).</summary>
    public static int Distance(in PdqHash a, in PdqHash b) =>
        BitOperations.PopCount(a.W0 ^ b.W0) + BitOperations.PopCount(a.W1 ^ b.W1) +
        BitOperations.PopCount(a.W2 ^ b.W2) + BitOperations.PopCount(a.W3 ^ b.W3);

    /// <summary>The number of bits in which this hash differs from <paramref name="other"/>.</summary>
    public int DistanceTo(in PdqHash other) => Distance(this, other);

    /// <summary>Parses the 64-digit hex form upstream prints (case-insensitive).</summary>
    /// <exception cref="FormatException">The text is not 64 hex digits.</exception>
    public static PdqHash Parse(ReadOnlySpan<char> hex) =>
        TryParse(hex, out var hash) ? hash : throw new FormatException("a PDQ hash is 64 hex digits");

    /// <summary>Parses the 64-digit hex form; false when the text is not 64 hex digits.</summary>
    public static bool TryParse(ReadOnlySpan<char> hex, out PdqHash hash)
    {
        hash = default;
        if (hex.Length != 64)
        {
            return false;
        }

        Span<ulong> w = stackalloc ulong[4];
        for (var i = 0; i < 4; i++)
        {
            // Digits run from bit 255 down, so the first 16 digits are word 3.
            if (!ulong.TryParse(hex.Slice(i * 16, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out w[3 - i]))
            {
                return false;
            }
        }

        hash = new PdqHash(w[0], w[1], w[2], w[3]);
        return true;
    }

    /// <summary>Reads the 32-byte form written by <see cref="WriteTo"/>.</summary>
    public static PdqHash Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Bytes)
        {
            throw new ArgumentException($"a PDQ hash needs {Bytes} bytes, got {source.Length}", nameof(source));
        }

        return new PdqHash(
            BinaryPrimitives.ReadUInt64LittleEndian(source),
            BinaryPrimitives.ReadUInt64LittleEndian(source[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[24..]));
    }

    /// <summary>Writes the hash as 32 bytes, least significant word first, each little-endian.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Bytes)
        {
            throw new ArgumentException($"a PDQ hash needs {Bytes} bytes, got {destination.Length}", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64LittleEndian(destination, W0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], W1);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], W2);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], W3);
    }

    /// <summary>The 64-digit lower-case hex form, bit 255 first, as upstream prints it.</summary>
    public override string ToString() => string.Create(64, this, static (span, h) =>
    {
        h.W3.TryFormat(span, out _, "x16", CultureInfo.InvariantCulture);
        h.W2.TryFormat(span[16..], out _, "x16", CultureInfo.InvariantCulture);
        h.W1.TryFormat(span[32..], out _, "x16", CultureInfo.InvariantCulture);
        h.W0.TryFormat(span[48..], out _, "x16", CultureInfo.InvariantCulture);
    });

    /// <inheritdoc/>
    public bool Equals(PdqHash other) => W0 == other.W0 && W1 == other.W1 && W2 == other.W2 && W3 == other.W3;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PdqHash other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(W0, W1, W2, W3);

    public static bool operator ==(PdqHash left, PdqHash right) => left.Equals(right);

    public static bool operator !=(PdqHash left, PdqHash right) => !left.Equals(right);
}
