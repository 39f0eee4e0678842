namespace Atelier.Fingerprints;

/// <summary>
/// Unsigned LEB128 varints (seven bits a byte, low bits first, high bit set on every byte but the
/// last), as in Protocol Buffers' encoding of varint fields: small deltas take one byte.
/// </summary>
internal static class Varint
{
    /// <summary>The most bytes one 32-bit value takes.</summary>
    public const int MaxBytes = 5;

    public static int Write(Span<byte> buffer, int offset, uint value)
    {
        while (value >= 0x80)
        {
            buffer[offset++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[offset++] = (byte)value;
        return offset;
    }

    /// <summary>Reads a varint this process wrote (no checks: use a checked reader for stored bytes).</summary>
    public static uint Read(ReadOnlySpan<byte> buffer, ref int offset)
    {
        uint value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = buffer[offset++];
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
