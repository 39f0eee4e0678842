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

    /// <summary>
    /// Reads a varint from stored bytes, checked: <see cref="VarintStatus.Truncated"/> when the bytes end inside
    /// it, <see cref="VarintStatus.Overlong"/> when it runs past five bytes or past 32 bits. Callers turn the
    /// status into their format's own error.
    /// </summary>
    public static VarintStatus TryRead(ReadOnlySpan<byte> buffer, ref int offset, out uint value)
    {
        value = 0;
        for (var shift = 0; shift < 7 * MaxBytes; shift += 7)
        {
            if (offset >= buffer.Length)
            {
                return VarintStatus.Truncated;
            }

            var b = buffer[offset++];
            if (shift == 28 && (b & 0x7F) > 0x0F)
            {
                return VarintStatus.Overlong;
            }

            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return VarintStatus.Ok;
            }
        }

        return VarintStatus.Overlong;
    }

    /// <summary>Reads a varint this process wrote (no checks: use <see cref="TryRead"/> for stored bytes).</summary>
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

/// <summary>The outcome of <see cref="Varint.TryRead"/>.</summary>
internal enum VarintStatus
{
    Ok,
    Truncated,
    Overlong,
}
