namespace Atelier.Fingerprints.Audio;

/// <summary>A spectral peak: a time frame and a log-frequency position, with its level.</summary>
/// <param name="Frame">Time, in frames of <see cref="AudioFingerprinter.HopSeconds"/>.</param>
/// <param name="Bin">Log-frequency position, in bins of <see cref="AudioFingerprinter.BinsPerOctave"/> per octave above <see cref="AudioFingerprinter.MinFrequency"/>.</param>
/// <param name="Level">Log magnitude (dB-like), used to rank peaks.</param>
public readonly record struct SpectralPeak(int Frame, float Bin, float Level);

/// <summary>
/// The fingerprint of one recording: its spectral peaks. Hashes are derived from the peaks by the index
/// (sparsely for registered works, densely for queries), so one fingerprint serves both.
/// </summary>
public sealed class AudioFingerprint
{
    /// <summary>Creates a fingerprint from peaks sorted by frame.</summary>
    public AudioFingerprint(int frameCount, SpectralPeak[] peaks) => throw new NotImplementedException();

    /// <summary>Number of analysis frames (the recording's length).</summary>
    public int FrameCount { get; }

    /// <summary>The recording's length in seconds.</summary>
    public double DurationSeconds => FrameCount * AudioFingerprinter.HopSeconds;

    /// <summary>The peaks, sorted by frame.</summary>
    public ReadOnlySpan<SpectralPeak> Peaks => throw new NotImplementedException();

    /// <summary>The part between two times (seconds), re-based to start at zero.</summary>
    public AudioFingerprint Slice(double startSeconds, double endSeconds) => throw new NotImplementedException();

    /// <summary>Compact serialised form (what the catalog stores).</summary>
    public byte[] ToBytes() => throw new NotImplementedException();

    /// <summary>Reads <see cref="ToBytes"/> output; throws <see cref="FormatException"/> on corrupt data.</summary>
    public static AudioFingerprint FromBytes(ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <summary>Lower-case hex SHA-256 of <see cref="ToBytes"/>, for the registration entry.</summary>
    public string Digest() => throw new NotImplementedException();
}
