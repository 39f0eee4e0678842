namespace Atelier.Fingerprints.Audio;

/// <summary>Computes audio fingerprints from mono PCM at <see cref="SampleRate"/>.</summary>
public static class AudioFingerprinter
{
    /// <summary>The sample rate the input must be decoded to (mono).</summary>
    public const int SampleRate = 8000;

    /// <summary>Seconds between analysis frames.</summary>
    public const double HopSeconds = 128.0 / SampleRate;

    /// <summary>Log-frequency resolution of <see cref="SpectralPeak.Bin"/>.</summary>
    public const int BinsPerOctave = 36;

    /// <summary>Lowest frequency analysed, in Hz.</summary>
    public const double MinFrequency = 110;

    /// <summary>Fingerprints mono samples in -1..1 at <see cref="SampleRate"/>.</summary>
    public static AudioFingerprint Compute(ReadOnlySpan<float> samples) => throw new NotImplementedException();
}
