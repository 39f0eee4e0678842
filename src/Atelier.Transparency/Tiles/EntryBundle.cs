// Entry bundles of C2SP tlog-tiles ("Log entries"): a sequence of entries, each a big-endian uint16 length
// followed by that many bytes.
using System.Buffers.Binary;

namespace Atelier.Transparency.Tiles;

/// <summary>Encodes and decodes entry bundles.</summary>
public static class EntryBundle
{
    /// <summary>The largest entry a bundle can hold (its length prefix is a uint16).</summary>
    public const int MaxEntryLength = ushort.MaxValue;

    /// <summary>The bundle bytes for <paramref name="entries"/> in order.</summary>
    /// <exception cref="ArgumentException">when an entry is longer than <see cref="MaxEntryLength"/>.</exception>
    public static byte[] Encode(IReadOnlyList<ReadOnlyMemory<byte>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var length = 0;
        foreach (var entry in entries)
        {
            CheckEntry(entry.Span);
            length += 2 + entry.Length;
        }

        var bundle = new byte[length];
        var offset = 0;
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bundle.AsSpan(offset), (ushort)entry.Length);
            entry.Span.CopyTo(bundle.AsSpan(offset + 2));
            offset += 2 + entry.Length;
        }

        return bundle;
    }

    /// <summary>
    /// Splits a bundle into its entries, which must number exactly <paramref name="expectedCount"/>.
    /// </summary>
    /// <exception cref="FormatException">when the bundle is truncated, has trailing bytes or the wrong count.</exception>
    public static ReadOnlyMemory<byte>[] Decode(ReadOnlyMemory<byte> bundle, int expectedCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(expectedCount, TilePath.FullWidth);
        var entries = new ReadOnlyMemory<byte>[expectedCount];
        var span = bundle.Span;
        var offset = 0;
        for (var i = 0; i < expectedCount; i++)
        {
            if (span.Length - offset < 2)
            {
                throw new FormatException($"the bundle ends after {i} of {expectedCount} entries");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(span[offset..]);
            offset += 2;
            if (span.Length - offset < length)
            {
                throw new FormatException($"entry {i} of the bundle is cut short: {length} bytes announced, {span.Length - offset} left");
            }

            entries[i] = bundle.Slice(offset, length);
            offset += length;
        }

        if (offset != span.Length)
        {
            throw new FormatException($"the bundle has {span.Length - offset} bytes after its {expectedCount} entries");
        }

        return entries;
    }

    /// <summary>Throws unless <paramref name="entry"/> fits in a bundle.</summary>
    public static void CheckEntry(ReadOnlySpan<byte> entry)
    {
        if (entry.Length > MaxEntryLength)
        {
            throw new ArgumentException($"a log entry is at most {MaxEntryLength} bytes; this one is {entry.Length}", nameof(entry));
        }
    }
}
