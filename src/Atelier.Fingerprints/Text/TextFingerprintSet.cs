using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Atelier.Fingerprints.Text;

/// <summary>
/// The fingerprints of one text, as the catalog stores them: the winnowed k-gram hashes with their
/// positions and source spans (passage matching), the MinHash signature (whole-document
/// similarity), and a digest of the normalised token sequence (near-exact copies).
/// <see cref="ToBytes"/> gives a compact, deterministic encoding and <see cref="Digest"/> its SHA-256.
/// </summary>
public sealed class TextFingerprintSet
{
    /// <summary>The encoding's version; <see cref="FromBytes"/> refuses others.</summary>
    public const byte FormatVersion = 1;

    private static ReadOnlySpan<byte> Magic => "ATXF"u8;

    private readonly ulong[] _hashes;
    private readonly int[] _positions;
    private readonly int[] _sourceStarts;
    private readonly int[] _sourceLengths;
    private readonly uint[] _signature;
    private string? _digest;

    internal TextFingerprintSet(
        TextFingerprintOptions options,
        int normalizerVersion,
        TextStatistics statistics,
        UInt128 contentDigest,
        uint[] signature,
        ulong[] hashes,
        int[] positions,
        int[] sourceStarts,
        int[] sourceLengths)
    {
        Options = options;
        NormalizerVersion = normalizerVersion;
        Statistics = statistics;
        ContentDigest = contentDigest;
        _signature = signature;
        _hashes = hashes;
        _positions = positions;
        _sourceStarts = sourceStarts;
        _sourceLengths = sourceLengths;
    }

    /// <summary>The options the set was made with.</summary>
    public TextFingerprintOptions Options { get; }

    /// <summary>The <see cref="TextNormalizer.Version"/> the set was made with.</summary>
    public int NormalizerVersion { get; }

    /// <summary>Lengths of the source and of its token sequence.</summary>
    public TextStatistics Statistics { get; }

    /// <summary>128-bit XXH3 of the normalised token sequence: equal for texts equal after normalisation.</summary>
    public UInt128 ContentDigest { get; }

    /// <summary>Number of fingerprints (winnowed k-grams).</summary>
    public int Count => _hashes.Length;

    /// <summary>The fingerprint hashes, in text order.</summary>
    public ReadOnlySpan<ulong> Hashes => _hashes;

    /// <summary>Where each fingerprint's k-gram starts, in units from the start of the token sequence.</summary>
    public ReadOnlySpan<int> Positions => _positions;

    /// <summary>Source offset (UTF-16) where each fingerprint's k-gram starts.</summary>
    public ReadOnlySpan<int> SourceStarts => _sourceStarts;

    /// <summary>Source length (UTF-16) of each fingerprint's k-gram.</summary>
    public ReadOnlySpan<int> SourceLengths => _sourceLengths;

    /// <summary>The MinHash signature; empty when the text is shorter than one k-gram.</summary>
    public ReadOnlySpan<uint> Signature => _signature;

    /// <summary>Lower-case hex SHA-256 of <see cref="ToBytes"/>; stable across runs and machines.</summary>
    public string Digest => _digest ??= Convert.ToHexStringLower(SHA256.HashData(ToBytes()));

    /// <summary>The compact encoding: a header, the signature, then delta-coded fingerprints.</summary>
    public byte[] ToBytes()
    {
        var buffer = new byte[64 + (_signature.Length * 4) + (_hashes.Length * (8 + (3 * Varint.MaxBytes)))];
        var w = new Writer(buffer);
        w.Bytes(Magic);
        w.Byte(FormatVersion);
        w.Byte((byte)NormalizerVersion);
        w.Byte((byte)Options.WordGram);
        w.Byte((byte)Options.CjkGram);
        w.Byte((byte)Options.Window);
        w.UInt16((ushort)Options.MinHashBins);
        w.VarUInt((uint)Statistics.SourceLength);
        w.VarUInt((uint)Statistics.TokenCount);
        w.VarUInt((uint)Statistics.UnitLength);
        w.VarUInt((uint)Statistics.ContentStart);
        w.VarUInt((uint)(Statistics.ContentEnd - Statistics.ContentStart));
        w.UInt64((ulong)ContentDigest);
        w.UInt64((ulong)(ContentDigest >> 64));
        w.Byte(_signature.Length == 0 ? (byte)0 : (byte)1);
        foreach (var value in _signature)
        {
            w.UInt32(value);
        }

        w.VarUInt((uint)_hashes.Length);
        int position = 0, start = 0;
        for (var i = 0; i < _hashes.Length; i++)
        {
            w.UInt64(_hashes[i]);
            w.VarUInt((uint)(_positions[i] - position));
            w.VarUInt((uint)(_sourceStarts[i] - start));
            w.VarUInt((uint)_sourceLengths[i]);
            position = _positions[i];
            start = _sourceStarts[i];
        }

        return buffer.AsSpan(0, w.Length).ToArray();
    }

    /// <summary>Decodes <see cref="ToBytes"/>' output, checking every field.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid text fingerprint set of a known version.</exception>
    public static TextFingerprintSet FromBytes(ReadOnlySpan<byte> bytes)
    {
        var r = new Reader(bytes);
        if (!r.Bytes(4).SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a text fingerprint set (bad magic)");
        }

        var format = r.Byte();
        if (format != FormatVersion)
        {
            throw new InvalidDataException($"text fingerprint set format {format} is not supported (expected {FormatVersion})");
        }

        var normalizerVersion = r.Byte();
        TextFingerprintOptions options;
        try
        {
            options = new TextFingerprintOptions { WordGram = r.Byte(), CjkGram = r.Byte(), Window = r.Byte(), MinHashBins = r.UInt16() };
            options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException($"text fingerprint set has invalid options: {e.Message}", e);
        }

        var sourceLength = r.Int(TextNormalizer.MaxSourceLength, "source length");
        var tokenCount = r.Int(sourceLength, "token count");
        var unitLength = r.Int(int.MaxValue, "unit length");
        var contentStart = r.Int(sourceLength, "content start");
        var contentEnd = contentStart + r.Int(sourceLength - contentStart, "content length");
        var digestLow = r.UInt64();
        var digestHigh = r.UInt64();
        var hasSignature = r.Byte();
        if (hasSignature > 1)
        {
            throw new InvalidDataException("text fingerprint set has an invalid signature flag");
        }

        var signature = new uint[hasSignature == 1 ? options.MinHashBins : 0];
        for (var i = 0; i < signature.Length; i++)
        {
            signature[i] = r.UInt32();
        }

        // Each fingerprint takes at least 11 bytes, which bounds the count before anything is allocated.
        var count = r.Int(r.Remaining / 11, "fingerprint count");
        var hashes = new ulong[count];
        var positions = new int[count];
        var starts = new int[count];
        var lengths = new int[count];
        long position = 0, start = 0;
        for (var i = 0; i < count; i++)
        {
            hashes[i] = r.UInt64();
            var positionDelta = r.Int(int.MaxValue, "position");
            var startDelta = r.Int(sourceLength, "source start");
            if (i > 0 && positionDelta == 0)
            {
                throw new InvalidDataException("text fingerprint set has two fingerprints at one position");
            }

            position += positionDelta;
            start += startDelta;
            var length = r.Int(sourceLength, "source length of a fingerprint");
            if (position >= unitLength || start + length > sourceLength)
            {
                throw new InvalidDataException("text fingerprint set has a fingerprint outside its text");
            }

            positions[i] = (int)position;
            starts[i] = (int)start;
            lengths[i] = length;
        }

        if (r.Remaining != 0)
        {
            throw new InvalidDataException($"text fingerprint set has {r.Remaining} bytes of trailing data");
        }

        var statistics = new TextStatistics(sourceLength, tokenCount, unitLength, contentStart, contentEnd);
        return new TextFingerprintSet(options, normalizerVersion, statistics, new UInt128(digestHigh, digestLow), signature, hashes, positions, starts, lengths);
    }

    private ref struct Writer(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;

        public int Length { get; private set; }

        public void Byte(byte value) => _buffer[Length++] = value;

        public void Bytes(ReadOnlySpan<byte> value)
        {
            value.CopyTo(_buffer[Length..]);
            Length += value.Length;
        }

        public void UInt16(ushort value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer[Length..], value);
            Length += 2;
        }

        public void UInt32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer[Length..], value);
            Length += 4;
        }

        public void UInt64(ulong value)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer[Length..], value);
            Length += 8;
        }

        public void VarUInt(uint value) => Length = Varint.Write(_buffer, Length, value);
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _offset;

        public readonly int Remaining => _data.Length - _offset;

        public ReadOnlySpan<byte> Bytes(int count)
        {
            Need(count);
            var span = _data.Slice(_offset, count);
            _offset += count;
            return span;
        }

        public byte Byte() => Bytes(1)[0];

        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));

        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

        public ulong UInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8));

        /// <summary>A varint in [0, <paramref name="max"/>].</summary>
        public int Int(int max, string what)
        {
            var value = Varint.TryRead(_data, ref _offset, out var v) switch
            {
                VarintStatus.Ok => v,
                VarintStatus.Truncated => throw new InvalidDataException("text fingerprint set is truncated"),
                _ => throw new InvalidDataException($"text fingerprint set has an overlong number ({what})"),
            };
            if (value > (uint)Math.Max(max, 0))
            {
                throw new InvalidDataException($"text fingerprint set has an out-of-range {what} ({value}, at most {max})");
            }

            return (int)value;
        }

        private readonly void Need(int count)
        {
            if (count > Remaining)
            {
                throw new InvalidDataException("text fingerprint set is truncated");
            }
        }
    }
}

/// <summary>Sizes of a fingerprinted text.</summary>
/// <param name="SourceLength">Length of the source text in UTF-16 units.</param>
/// <param name="TokenCount">Number of tokens (words and CJK characters).</param>
/// <param name="UnitLength">Length of the token sequence in k-gram units (see <see cref="TextFingerprintOptions"/>).</param>
/// <param name="ContentStart">Source offset of the first token.</param>
/// <param name="ContentEnd">Source offset just past the last token.</param>
public readonly record struct TextStatistics(int SourceLength, int TokenCount, int UnitLength, int ContentStart, int ContentEnd);
