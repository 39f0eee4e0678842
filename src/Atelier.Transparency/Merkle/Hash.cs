// Merkle tree hashing of RFC 6962 §2.1 (unchanged in RFC 9162 §2.1.1): SHA-256 with the one-byte
// domain separation prefixes 0x00 for leaves and 0x01 for interior nodes.
using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Atelier.Transparency.Merkle;

/// <summary>
/// A SHA-256 Merkle tree hash: exactly 32 bytes, held by value so proofs and tree walks stay on the stack.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Hash : IEquatable<Hash>
{
    /// <summary>The size of a hash in bytes.</summary>
    public const int Size = 32;

    // Four words hold the 32 bytes in memory order; only equality looks at them as numbers.
    private readonly ulong _w0;
    private readonly ulong _w1;
    private readonly ulong _w2;
    private readonly ulong _w3;

    /// <summary>The hash of the empty tree, SHA-256 of no bytes (RFC 6962 §2.1: MTH({}) = SHA-256()).</summary>
    public static Hash Empty { get; } = Compute([]);

    /// <summary>Reads a hash from exactly 32 bytes.</summary>
    /// <exception cref="ArgumentException">when <paramref name="bytes"/> is not 32 bytes long.</exception>
    public static Hash FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"a hash is {Size} bytes, not {bytes.Length}", nameof(bytes));
        }

        return MemoryMarshal.Read<Hash>(bytes);
    }

    /// <summary>Reads a hash from exactly 32 bytes; false when the length is wrong.</summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out Hash hash)
    {
        if (bytes.Length != Size)
        {
            hash = default;
            return false;
        }

        hash = MemoryMarshal.Read<Hash>(bytes);
        return true;
    }

    /// <summary>Parses standard base64 (RFC 4648 §4) of exactly 32 bytes, rejecting any other length or alphabet.</summary>
    public static bool TryParseBase64(ReadOnlySpan<char> text, out Hash hash)
    {
        Span<byte> buffer = stackalloc byte[Size + 3];
        hash = default;
        // 32 bytes are always 44 characters with one '=' of padding; anything else is not a hash.
        if (text.Length != 44 || !Convert.TryFromBase64Chars(text, buffer, out var written) || written != Size)
        {
            return false;
        }

        hash = MemoryMarshal.Read<Hash>(buffer);
        // Reject non-canonical encodings (stray bits in the last character) so a hash has one spelling.
        return text.SequenceEqual(hash.ToBase64());
    }

    /// <summary>Parses 64 hex digits (either case).</summary>
    public static bool TryParseHex(ReadOnlySpan<char> text, out Hash hash)
    {
        Span<byte> buffer = stackalloc byte[Size];
        hash = default;
        if (text.Length != Size * 2 || Convert.FromHexString(text, buffer, out _, out var written) != OperationStatus.Done || written != Size)
        {
            return false;
        }

        hash = MemoryMarshal.Read<Hash>(buffer);
        return true;
    }

    /// <summary>SHA-256 of <paramref name="data"/> with no prefix (a content digest, not a tree hash).</summary>
    public static Hash Compute(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Size];
        SHA256.HashData(data, digest);
        return MemoryMarshal.Read<Hash>(digest);
    }

    /// <summary>The leaf hash of one log entry: SHA-256(0x00 ‖ entry).</summary>
    public static Hash Leaf(ReadOnlySpan<byte> entry)
    {
        // One contiguous buffer hashes faster than an incremental hash; small entries stay on the stack.
        const int StackLimit = 1024;
        var length = entry.Length + 1;
        byte[]? rented = null;
        var input = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            input[0] = 0x00;
            entry.CopyTo(input[1..]);
            return Compute(input[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>An interior node hash: SHA-256(0x01 ‖ left ‖ right).</summary>
    public static Hash Node(in Hash left, in Hash right)
    {
        Span<byte> input = stackalloc byte[1 + (2 * Size)];
        input[0] = 0x01;
        left.WriteTo(input.Slice(1, Size));
        right.WriteTo(input.Slice(1 + Size, Size));
        return Compute(input);
    }

    /// <summary>Copies the 32 bytes into <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"destination needs {Size} bytes", nameof(destination));
        }

        MemoryMarshal.Write(destination, in this);
    }

    /// <summary>A new array holding the 32 bytes.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Standard base64 with padding, as in checkpoints and proofs.</summary>
    public string ToBase64()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return Convert.ToBase64String(bytes);
    }

    /// <summary>Lower-case hex.</summary>
    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <inheritdoc/>
    public override string ToString() => ToHex();

    /// <inheritdoc/>
    public bool Equals(Hash other) => _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Hash other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_w0, _w1, _w2, _w3);

    public static bool operator ==(Hash left, Hash right) => left.Equals(right);

    public static bool operator !=(Hash left, Hash right) => !left.Equals(right);

    /// <summary>Reads consecutive hashes from a tile's bytes (a multiple of 32 bytes).</summary>
    internal static Hash[] ReadMany(ReadOnlySpan<byte> bytes)
    {
        return MemoryMarshal.Cast<byte, Hash>(bytes).ToArray();
    }

    /// <summary>The hashes as one byte array, 32 bytes each, as tiles store them.</summary>
    internal static byte[] Concat(ReadOnlySpan<Hash> hashes)
    {
        return MemoryMarshal.AsBytes(hashes).ToArray();
    }
}
