using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Atelier.Fingerprints.Audio;

/// <summary>
/// Computes audio fingerprints from mono PCM at <see cref="SampleRate"/>: a log-frequency magnitude
/// spectrogram (1024-sample Hann frames, 16 ms hop, 36 bins an octave from 110 Hz over five octaves) and
/// its local maxima, the "constellation" of Wang, "An Industrial-Strength Audio Search Algorithm"
/// (ISMIR 2003), §2.1, on the log-frequency axis that Six and Leman, "Panako" (ISMIR 2014), §2, use so that
/// a pitch shift moves every peak by the same number of bins. Hashing the peaks is the index's job
/// (<see cref="Landmarks"/>).
/// </summary>
/// <remarks>
/// 8 kHz keeps the band to 4 kHz: music's tonal peaks live below it, a 3 kHz low-pass or a phone line
/// loses little, and decoding and transforming half as many samples as 16 kHz halves the cost.
/// The spectrogram is built in blocks so a long recording never holds more than a few megabytes of it.
/// The hot loops (windowing, dB conversion, the peak search) run eight lanes at a time where the processor has
/// the vector unit; they do the same float operations as the scalar code, so fingerprints are the same bits
/// either way.
/// </remarks>
public static class AudioFingerprinter
{
    /// <summary>The sample rate the input must be decoded to (mono).</summary>
    public const int SampleRate = 8000;

    /// <summary>Seconds between analysis frames.</summary>
    public const double HopSeconds = (double)Hop / SampleRate;

    /// <summary>Log-frequency resolution of <see cref="SpectralPeak.Bin"/>.</summary>
    public const int BinsPerOctave = 36;

    /// <summary>Lowest frequency analysed, in Hz.</summary>
    public const double MinFrequency = 110;

    /// <summary>Number of log-frequency bins (five octaves, to about 3.5 kHz).</summary>
    public const int Bins = 5 * BinsPerOctave;

    internal const int FrameLength = 1024;
    internal const int Hop = 128;

    /// <summary>A peak dominates this many frames either side...</summary>
    internal const int PeakFrames = 5;

    /// <summary>...and this many bins either side (a sixth of an octave).</summary>
    internal const int PeakBins = 6;

    /// <summary>Peaks quieter than this (dB re full scale) are silence or dither, not music.</summary>
    internal const float SilenceDb = -75;

    private const int BlockFrames = 2048;

    private static readonly float[] s_window = MakeWindow();
    private static readonly BinMap s_map = new();

    /// <summary>The FFT's tables, built once per thread (an instance keeps scratch, so it is not shared).</summary>
    [ThreadStatic]
    private static RealFft? t_fft;

    /// <summary>Fingerprints mono samples in -1..1 at <see cref="SampleRate"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static AudioFingerprint Compute(ReadOnlySpan<float> samples)
    {
        var frames = samples.Length < FrameLength ? (samples.Length > 0 ? 1 : 0) : 1 + ((samples.Length - FrameLength) / Hop);
        if (frames == 0)
        {
            return new AudioFingerprint(0, []);
        }

        var peaks = new List<SpectralPeak>(Math.Max(16, frames / 2));
        var fft = t_fft ??= new RealFft(FrameLength);
        var frame = new float[FrameLength];
        var power = new float[(FrameLength / 2) + 1];
        var margin = PeakFrames;

        // A block's rows run from its start less the margin to its end plus the margin, within the input.
        var spectrogram = new float[Math.Min(frames, BlockFrames + (2 * margin)) * Bins];
        var rowMax = new float[spectrogram.Length];
        for (var blockStart = 0; blockStart < frames; blockStart += BlockFrames)
        {
            var from = Math.Max(0, blockStart - margin);
            var to = Math.Min(frames, blockStart + BlockFrames + margin);
            for (var f = from; f < to; f++)
            {
                LoadFrame(samples, f * Hop, frame);
                fft.Power(frame, power);
                s_map.Map(power, spectrogram.AsSpan((f - from) * Bins, Bins));
            }

            FindPeaks(spectrogram, rowMax, from, to, blockStart, Math.Min(frames, blockStart + BlockFrames), peaks);
        }

        return new AudioFingerprint(frames, [.. peaks]);
    }

    private static void LoadFrame(ReadOnlySpan<float> samples, int start, float[] frame)
    {
        var available = Math.Min(FrameLength, samples.Length - start);
        var window = s_window;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var x = ref MemoryMarshal.GetReference(samples.Slice(start, available));
            ref var w = ref MemoryMarshal.GetArrayDataReference(window);
            ref var f = ref MemoryMarshal.GetArrayDataReference(frame);
            for (; i + Vector256<float>.Count <= available; i += Vector256<float>.Count)
            {
                (Vector256.LoadUnsafe(ref x, (nuint)i) * Vector256.LoadUnsafe(ref w, (nuint)i)).StoreUnsafe(ref f, (nuint)i);
            }
        }

        for (; i < available; i++)
        {
            frame[i] = samples[start + i] * window[i];
        }

        Array.Clear(frame, available, FrameLength - available);
    }

    /// <summary>
    /// Local maxima of the spectrogram rows <paramref name="from"/>..<paramref name="to"/> (held in
    /// <paramref name="s"/>), reported for frames <paramref name="first"/>..<paramref name="last"/>.
    /// A peak is strictly greater than every earlier cell of its neighbourhood and at least every later
    /// one, so plateaus give one peak.
    /// </summary>
    /// <remarks>
    /// The neighbourhood's maximum is separable: each row's maximum over ±<see cref="PeakBins"/> bins
    /// (<paramref name="rowMax"/>), then the maximum of those over ±<see cref="PeakFrames"/> frames. Only a cell
    /// equal to it can be a peak, and <see cref="Dominates"/> settles the ties on those few.
    /// </remarks>
    private static void FindPeaks(float[] s, float[] rowMax, int from, int to, int first, int last, List<SpectralPeak> peaks)
    {
        for (var u = from; u < to; u++)
        {
            RowMax(s.AsSpan((u - from) * Bins, Bins), rowMax.AsSpan((u - from) * Bins, Bins));
        }

        var neighbourhood = new float[Bins];
        for (var t = first; t < last; t++)
        {
            var t0 = Math.Max(from, t - PeakFrames);
            var t1 = Math.Min(to - 1, t + PeakFrames);
            rowMax.AsSpan((t0 - from) * Bins, Bins).CopyTo(neighbourhood);
            for (var u = t0 + 1; u <= t1; u++)
            {
                Max(neighbourhood, rowMax.AsSpan((u - from) * Bins, Bins));
            }

            var row = (t - from) * Bins;
            var b = 1;
            if (Vector256.IsHardwareAccelerated)
            {
                ref var v = ref s[row];
                ref var n = ref MemoryMarshal.GetArrayDataReference(neighbourhood);
                var silence = Vector256.Create(SilenceDb);
                for (; b + Vector256<float>.Count <= Bins - 1; b += Vector256<float>.Count)
                {
                    var cells = Vector256.LoadUnsafe(ref v, (nuint)b);
                    var candidates = Vector256.GreaterThanOrEqual(cells, Vector256.LoadUnsafe(ref n, (nuint)b))
                        & Vector256.GreaterThanOrEqual(cells, silence);
                    for (var mask = candidates.ExtractMostSignificantBits(); mask != 0; mask &= mask - 1)
                    {
                        AddIfPeak(s, from, to, t, b + System.Numerics.BitOperations.TrailingZeroCount(mask), peaks);
                    }
                }
            }

            for (; b < Bins - 1; b++)
            {
                var cell = s[row + b];
                if (cell >= neighbourhood[b] && cell >= SilenceDb)
                {
                    AddIfPeak(s, from, to, t, b, peaks);
                }
            }
        }
    }

    private static void AddIfPeak(float[] s, int from, int to, int t, int b, List<SpectralPeak> peaks)
    {
        var row = (t - from) * Bins;
        var v = s[row + b];
        if (!Dominates(s, from, to, t, b, v))
        {
            return;
        }

        // Parabolic interpolation of the bin on the dB values.
        var a = s[row + b - 1];
        var c = s[row + b + 1];
        var denominator = a - (2 * v) + c;
        var delta = denominator < 0 ? 0.5f * (a - c) / denominator : 0;
        peaks.Add(AudioFingerprint.Stored(t, b + Math.Clamp(delta, -0.5f, 0.5f), v));
    }

    /// <summary>The maximum of each cell's ±<see cref="PeakBins"/> bins in the row.</summary>
    private static void RowMax(ReadOnlySpan<float> row, Span<float> max)
    {
        var b = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // Cells whose whole window lies inside the row, eight at a time; the edges below.
            ref var r = ref MemoryMarshal.GetReference(row);
            ref var m = ref MemoryMarshal.GetReference(max);
            for (b = PeakBins; b + Vector256<float>.Count <= Bins - PeakBins; b += Vector256<float>.Count)
            {
                var start = (nuint)(b - PeakBins);
                var x = Vector256.LoadUnsafe(ref r, start);
                for (nuint d = 1; d <= 2 * PeakBins; d++)
                {
                    x = Vector256.MaxNative(x, Vector256.LoadUnsafe(ref r, start + d));
                }

                x.StoreUnsafe(ref m, (nuint)b);
            }

            for (var e = 0; e < PeakBins; e++)
            {
                max[e] = WindowMax(row, e);
            }
        }

        for (; b < Bins; b++)
        {
            max[b] = WindowMax(row, b);
        }
    }

    private static float WindowMax(ReadOnlySpan<float> row, int b)
    {
        var x = row[Math.Max(0, b - PeakBins)];
        for (var c = Math.Max(0, b - PeakBins) + 1; c <= Math.Min(Bins - 1, b + PeakBins); c++)
        {
            x = MathF.Max(x, row[c]);
        }

        return x;
    }

    private static void Max(Span<float> into, ReadOnlySpan<float> other)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var a = ref MemoryMarshal.GetReference(into);
            ref var o = ref MemoryMarshal.GetReference(other);
            for (; i + Vector256<float>.Count <= into.Length; i += Vector256<float>.Count)
            {
                Vector256.MaxNative(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref o, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
            }
        }

        for (; i < into.Length; i++)
        {
            into[i] = MathF.Max(into[i], other[i]);
        }
    }

    private static bool Dominates(float[] s, int from, int to, int t, int b, float v)
    {
        var t0 = Math.Max(from, t - PeakFrames);
        var t1 = Math.Min(to - 1, t + PeakFrames);
        var b0 = Math.Max(0, b - PeakBins);
        var b1 = Math.Min(Bins - 1, b + PeakBins);
        for (var u = t0; u <= t1; u++)
        {
            var row = (u - from) * Bins;
            for (var c = b0; c <= b1; c++)
            {
                var w = s[row + c];
                if (w > v || (w == v && (u < t || (u == t && c < b))))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static float[] MakeWindow()
    {
        var w = new float[FrameLength];
        for (var i = 0; i < w.Length; i++)
        {
            w[i] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / FrameLength)));
        }

        return w;
    }

    /// <summary>
    /// 10·log10(x) for positive normal x to within 0.01 dB: the exponent from the float's bits, and log2
    /// of the mantissa in 1..2 from a cubic fitted at its ends and middle. Eleven thousand of these a
    /// second of audio made MathF.Log10 a fifth of the fingerprinting time.
    /// </summary>
    internal static float Decibels(float x)
    {
        var bits = BitConverter.SingleToInt32Bits(x);
        var exponent = ((bits >> 23) & 0xFF) - 127;
        var m = BitConverter.Int32BitsToSingle((bits & 0x007FFFFF) | 0x3F800000);

        // log2(m) on [1, 2): a cubic through log2's values, exact at 1 and 2.
        var log2 = exponent + ((((0.15824871f * m) - 1.05187502f) * m + 3.04788543f) * m) - 2.15425912f;
        return log2 * 3.01029996f;
    }

    /// <summary><see cref="Decibels(float)"/> in place, eight at a time where the vector unit allows (the same operations).</summary>
    internal static void Decibels(Span<float> values)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var v = ref MemoryMarshal.GetReference(values);
            var c3 = Vector256.Create(0.15824871f);
            var c2 = Vector256.Create(1.05187502f);
            var c1 = Vector256.Create(3.04788543f);
            var c0 = Vector256.Create(2.15425912f);
            var scale = Vector256.Create(3.01029996f);
            for (; i + Vector256<float>.Count <= values.Length; i += Vector256<float>.Count)
            {
                var bits = Vector256.LoadUnsafe(ref v, (nuint)i).AsInt32();
                var exponent = Vector256.ConvertToSingle(((bits >>> 23) & Vector256.Create(0xFF)) - Vector256.Create(127));
                var m = ((bits & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F800000)).AsSingle();
                var log2 = exponent + ((((c3 * m) - c2) * m + c1) * m) - c0;
                (log2 * scale).StoreUnsafe(ref v, (nuint)i);
            }
        }

        for (; i < values.Length; i++)
        {
            values[i] = Decibels(values[i]);
        }
    }

    /// <summary>
    /// Maps an FFT power spectrum to log-frequency bins in dB: below about 400 Hz a log bin is narrower
    /// than an FFT bin and takes the interpolated value at its centre; above, it takes the strongest FFT
    /// bin it spans, so a partial is never split between two log bins.
    /// </summary>
    private sealed class BinMap
    {
        private readonly int[] _low = new int[Bins];
        private readonly int[] _high = new int[Bins];
        private readonly float[] _weight = new float[Bins];
        private readonly float _reference;

        public BinMap()
        {
            const double fftBinHz = (double)SampleRate / FrameLength;
            var halfWidth = Math.Pow(2, 0.5 / BinsPerOctave);
            for (var j = 0; j < Bins; j++)
            {
                var centre = MinFrequency * Math.Pow(2, (double)j / BinsPerOctave) / fftBinHz;
                var lo = (int)Math.Ceiling(centre / halfWidth);
                var hi = (int)Math.Floor(centre * halfWidth);
                if (hi < lo)
                {
                    _low[j] = (int)Math.Floor(centre);
                    _high[j] = -1;
                    _weight[j] = (float)(centre - _low[j]);
                }
                else
                {
                    _low[j] = lo;
                    _high[j] = hi;
                }
            }

            // A full-scale sine has |X| = sum(window) / 2 at its bin.
            var sum = 0.0;
            foreach (var w in s_window)
            {
                sum += w;
            }

            _reference = (float)(sum * sum / 4);
        }

        public void Map(ReadOnlySpan<float> power, Span<float> row)
        {
            for (var j = 0; j < row.Length; j++)
            {
                float p;
                var hi = _high[j];
                if (hi < 0)
                {
                    var k = _low[j];
                    p = power[k] + (_weight[j] * (power[k + 1] - power[k]));
                }
                else
                {
                    p = power[_low[j]];
                    for (var k = _low[j] + 1; k <= hi; k++)
                    {
                        p = MathF.Max(p, power[k]);
                    }
                }

                row[j] = (p / _reference) + 1e-12f;
            }

            Decibels(row);
        }
    }
}
