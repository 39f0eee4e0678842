using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Atelier.Fingerprints.Audio;

/// <summary>A spectral peak: a time frame and a log-frequency position, with its level.</summary>
/// <param name="Frame">Time, in frames of <see cref="AudioFingerprinter.HopSeconds"/>.</param>
/// <param name="Bin">Log-frequency position, in bins of <see cref="AudioFingerprinter.BinsPerOctave"/> per octave above <see cref="AudioFingerprinter.MinFrequency"/>.</param>
/// <param name="Level">Level in dB relative to a full-scale sine, used to rank peaks.</param>
public readonly record struct SpectralPeak(int Frame, float Bin, float Level);

/// <summary>
/// The fingerprint of one recording: its spectral peaks. Hashes are derived from the peaks by the index
/// (sparsely for registered works, densely for queries), so one fingerprint serves both, and the stored
/// form stays small (about four bytes a peak).
/// </summary>
public sealed class AudioFingerprint
{
    private const uint Magic = 0x31504641; // "AFP1", little-endian
    private const float BinScale = 64;
    private const float LevelScale = 2;
    private const float LevelFloor = -120;

    private readonly SpectralPeak[] _peaks;

    /// <summary>Creates a fingerprint from peaks sorted by frame, all within 0..<paramref name="frameCount"/>.</summary>
    public AudioFingerprint(int frameCount, SpectralPeak[] peaks)
    {
        ArgumentNullException.ThrowIfNull(peaks);
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        for (var i = 0; i < peaks.Length; i++)
        {
            var p = peaks[i];
            if (p.Frame < 0 || p.Frame >= Math.Max(frameCount, 1) || (i > 0 && p.Frame < peaks[i - 1].Frame))
            {
                throw new ArgumentException("peaks must be sorted by frame and lie within the frame count", nameof(peaks));
            }

            if (!float.IsFinite(p.Bin) || p.Bin < 0 || p.Bin >= 1023 || !float.IsFinite(p.Level))
            {
                throw new ArgumentException("peak bins must lie in 0..1023 and levels be finite", nameof(peaks));
            }
        }

        FrameCount = frameCount;
        _peaks = peaks;
    }

    /// <summary>Number of analysis frames (the recording's length).</summary>
    public int FrameCount { get; }

    /// <summary>The recording's length in seconds.</summary>
    public double DurationSeconds => FrameCount * AudioFingerprinter.HopSeconds;

    /// <summary>The peaks, sorted by frame.</summary>
    public ReadOnlySpan<SpectralPeak> Peaks => _peaks;

    /// <summary>The part between two times (seconds), re-based to start at zero.</summary>
    public AudioFingerprint Slice(double startSeconds, double endSeconds)
    {
        var start = Math.Clamp((int)Math.Round(startSeconds / AudioFingerprinter.HopSeconds), 0, FrameCount);
        var end = Math.Clamp((int)Math.Round(endSeconds / AudioFingerprinter.HopSeconds), start, FrameCount);
        var from = LowerBound(start);
        var to = LowerBound(end);
        var slice = new SpectralPeak[to - from];
        for (var i = 0; i < slice.Length; i++)
        {
            var p = _peaks[from + i];
            slice[i] = p with { Frame = p.Frame - start };
        }

        return new AudioFingerprint(end - start, slice);
    }

    /// <summary>Compact serialised form (what the catalog stores): varint frame deltas, 1/64-bin positions, half-dB levels.</summary>
    public byte[] ToBytes()
    {
        var buffer = new byte[4 + (2 * Varint.MaxBytes) + (_peaks.Length * (Varint.MaxBytes + 3))];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, Magic);
        var offset = Varint.Write(buffer, 4, (uint)FrameCount);
        offset = Varint.Write(buffer, offset, (uint)_peaks.Length);
        var last = 0;
        foreach (var p in _peaks)
        {
            offset = Varint.Write(buffer, offset, (uint)(p.Frame - last));
            last = p.Frame;
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(offset), BinCode(p.Bin));
            buffer[offset + 2] = LevelCode(p.Level);
            offset += 3;
        }

        return buffer.AsSpan(0, offset).ToArray();
    }

    /// <summary>
    /// A peak as <see cref="ToBytes"/> stores it (bins to 1/64, levels to half a decibel). The fingerprinter
    /// rounds its peaks this way, so a fingerprint matches the same whether it was just computed or read back
    /// from the catalog: a level rounding to a tie changes which peaks anchor the hashes.
    /// </summary>
    internal static SpectralPeak Stored(int frame, float bin, float level) =>
        new(frame, BinCode(bin) / BinScale, (LevelCode(level) / LevelScale) + LevelFloor);

    private static ushort BinCode(float bin) => (ushort)Math.Round(bin * BinScale);

    private static byte LevelCode(float level) => (byte)Math.Clamp(Math.Round((level - LevelFloor) * LevelScale), 0, 255);

    /// <summary>Reads <see cref="ToBytes"/> output; throws <see cref="FormatException"/> on corrupt data.</summary>
    public static AudioFingerprint FromBytes(ReadOnlySpan<byte> data)
    {
        if (data.Length < 6 || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic)
        {
            throw new FormatException("not an audio fingerprint (bad header)");
        }

        var offset = 4;
        var frameCount = ReadVarint(data, ref offset);
        var count = ReadVarint(data, ref offset);
        if (frameCount > int.MaxValue || count > (uint)(data.Length - offset) / 4 + 1)
        {
            throw new FormatException("corrupt audio fingerprint (counts out of range)");
        }

        var peaks = new SpectralPeak[count];
        long frame = 0;
        for (var i = 0; i < peaks.Length; i++)
        {
            frame += ReadVarint(data, ref offset);
            if (offset + 3 > data.Length || frame >= Math.Max(frameCount, 1))
            {
                throw new FormatException("corrupt audio fingerprint (truncated or out of range)");
            }

            var bin = BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]) / BinScale;
            var level = (data[offset + 2] / LevelScale) + LevelFloor;
            offset += 3;
            peaks[i] = new SpectralPeak((int)frame, bin, level);
        }

        if (offset != data.Length)
        {
            throw new FormatException("corrupt audio fingerprint (trailing bytes)");
        }

        return new AudioFingerprint((int)frameCount, peaks);
    }

    /// <summary>Lower-case hex SHA-256 of <see cref="ToBytes"/>, for the registration entry.</summary>
    public string Digest() => Convert.ToHexStringLower(SHA256.HashData(ToBytes()));

    private int LowerBound(int frame)
    {
        int lo = 0, hi = _peaks.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_peaks[mid].Frame < frame)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static uint ReadVarint(ReadOnlySpan<byte> data, ref int offset) => Varint.TryRead(data, ref offset, out var value) switch
    {
        VarintStatus.Ok => value,
        VarintStatus.Truncated => throw new FormatException("corrupt audio fingerprint (truncated varint)"),
        _ => throw new FormatException("corrupt audio fingerprint (varint too long)"),
    };
}
