using System.Security.Cryptography;

namespace Atelier.Core;

/// <summary>
/// Work ids: 26 characters of lower-case Crockford base32 (a ULID). The first 10 characters are the
/// creation time in milliseconds, so ids sort by registration time; the other 16 are random.
/// URL-safe, case-insensitive on input, and free of look-alike letters (no i, l, o, u).
/// </summary>
public static class WorkId
{
    public const int Length = 26;
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = (ulong)now.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)ms;
            ms >>= 8;
        }

        RandomNumberGenerator.Fill(bytes[6..]);
        return Encode(bytes);
    }

    public static bool IsValid(string? id)
    {
        if (id is null || id.Length != Length || id[0] > '7')
        {
            return false;
        }

        foreach (var ch in id)
        {
            if (!Alphabet.Contains(ch, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        // 128 bits -> 26 symbols of 5 bits, most significant first (the top symbol holds 3 bits).
        var hi = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
        var lo = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        var value = ((UInt128)hi << 64) | lo;
        return string.Create(Length, value, static (span, v) =>
        {
            for (var i = Length - 1; i >= 0; i--)
            {
                span[i] = Alphabet[(int)(v & 31)];
                v >>= 5;
            }
        });
    }
}
