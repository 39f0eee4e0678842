using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Atelier.Fingerprints.Audio;

/// <summary>
/// Power spectrum of a real frame: a radix-2 decimation-in-time complex FFT of half the length over the
/// even/odd samples packed as real/imaginary parts, then the standard split into the real signal's
/// spectrum (Cooley and Tukey 1965; the packing trick as in Press et al., Numerical Recipes 3rd ed., §12.3).
/// Written here rather than taken from MathNet.Numerics because the fingerprinter computes 62.5 frames per
/// second of audio and MathNet's real transform took about 30 µs a 1024-point frame on this machine, which
/// alone would spend the whole speed budget of issue 5. The butterflies of the later stages and the split run
/// eight lanes at a time (<see cref="Vector256"/>) where the processor has the vector unit, with the same
/// operations in the same order as the scalar path, so both give the same bits. Not thread-safe: one instance
/// per thread.
/// </summary>
internal sealed class RealFft
{
    private readonly int _n;
    private readonly int _half;
    private readonly int[] _bitReverse;

    // Twiddles of each radix-2 stage, e^{-2πik/size} for k < size/2, contiguous per stage: the stage of
    // half-size h starts at h - 4 (stages of h = 4, 8, ..., half/2 follow one another).
    private readonly float[] _stageCos;
    private readonly float[] _stageSin;
    private readonly float[] _splitCos;
    private readonly float[] _splitSin;
    private readonly float[] _re;
    private readonly float[] _im;

    public RealFft(int n)
    {
        if (n < 8 || (n & (n - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "must be a power of two, at least 8");
        }

        _n = n;
        _half = n / 2;
        _re = new float[_half];
        _im = new float[_half];
        _bitReverse = new int[_half];
        var bits = System.Numerics.BitOperations.Log2((uint)_half);
        for (var i = 0; i < _half; i++)
        {
            var r = 0;
            for (var b = 0; b < bits; b++)
            {
                r |= ((i >> b) & 1) << (bits - 1 - b);
            }

            _bitReverse[i] = r;
        }

        // The values are those of the half-length transform's table, e^{-2πit/half} at t = k·half/size.
        _stageCos = new float[Math.Max(1, _half - 4)];
        _stageSin = new float[_stageCos.Length];
        for (var h = 4; h < _half; h <<= 1)
        {
            var step = _half / (2 * h);
            for (var k = 0; k < h; k++)
            {
                var a = -2 * Math.PI * (k * step) / _half;
                _stageCos[h - 4 + k] = (float)Math.Cos(a);
                _stageSin[h - 4 + k] = (float)Math.Sin(a);
            }
        }

        // Twiddles of the real split, e^{-2πik/n} for k ≤ half.
        _splitCos = new float[_half + 1];
        _splitSin = new float[_half + 1];
        for (var k = 0; k <= _half; k++)
        {
            var a = -2 * Math.PI * k / _n;
            _splitCos[k] = (float)Math.Cos(a);
            _splitSin[k] = (float)Math.Sin(a);
        }
    }

    /// <summary>Writes |X[k]|² for k = 0..n/2 (n/2 + 1 values) of the real frame <paramref name="frame"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Power(ReadOnlySpan<float> frame, Span<float> power)
    {
        if (frame.Length != _n || power.Length < _half + 1)
        {
            throw new ArgumentException("frame must hold n samples and power n/2 + 1 values");
        }

        var re = _re;
        var im = _im;
        var rev = _bitReverse;

        // The bit-reversed load (Z[i] = x[2r] + i·x[2r+1] with r the reverse of i, the permutation being its
        // own inverse) and the first two stages as one radix-4 pass with trivial twiddles; then radix-2 stages.
        for (var i = 0; i < _half; i += 4)
        {
            int j0 = 2 * rev[i], j1 = 2 * rev[i + 1], j2 = 2 * rev[i + 2], j3 = 2 * rev[i + 3];
            float ar = frame[j0], ai = frame[j0 + 1], br = frame[j1], bi = frame[j1 + 1];
            float cr = frame[j2], ci = frame[j2 + 1], dr = frame[j3], di = frame[j3 + 1];
            float s0r = ar + br, s0i = ai + bi, s1r = ar - br, s1i = ai - bi;
            float s2r = cr + dr, s2i = ci + di, s3r = cr - dr, s3i = ci - di;
            re[i] = s0r + s2r;
            im[i] = s0i + s2i;
            re[i + 2] = s0r - s2r;
            im[i + 2] = s0i - s2i;

            // (s3) times -i.
            re[i + 1] = s1r + s3i;
            im[i + 1] = s1i - s3r;
            re[i + 3] = s1r - s3i;
            im[i + 3] = s1i + s3r;
        }

        for (var h = 4; h < _half; h <<= 1)
        {
            if (h >= Vector256<float>.Count && Vector256.IsHardwareAccelerated)
            {
                Stage256(re, im, h);
            }
            else if (h == Vector128<float>.Count && Vector128.IsHardwareAccelerated)
            {
                Stage128(re, im);
            }
            else
            {
                StageScalar(re, im, h);
            }
        }

        // Split Z (the packed transform) into X: X[k] = E[k] + W^k O[k], with
        // E[k] = (Z[k] + conj Z[h-k]) / 2 and O[k] = (Z[k] - conj Z[h-k]) / 2i.
        power[0] = (re[0] + im[0]) * (re[0] + im[0]);
        power[_half] = (re[0] - im[0]) * (re[0] - im[0]);
        var k = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            k = Split256(re, im, power);
        }

        var splitCos = _splitCos;
        var splitSin = _splitSin;
        for (; k < _half; k++)
        {
            var m = _half - k;
            var er = 0.5f * (re[k] + re[m]);
            var ei = 0.5f * (im[k] - im[m]);
            var or = 0.5f * (im[k] + im[m]);
            var oi = -0.5f * (re[k] - re[m]);
            var wr = splitCos[k];
            var wi = splitSin[k];
            var xr = er + ((or * wr) - (oi * wi));
            var xi = ei + ((or * wi) + (oi * wr));
            power[k] = (xr * xr) + (xi * xi);
        }
    }

    private void StageScalar(float[] re, float[] im, int h)
    {
        var cos = _stageCos;
        var sin = _stageSin;
        for (var start = 0; start < _half; start += 2 * h)
        {
            for (var k = 0; k < h; k++)
            {
                var a = start + k;
                var b = a + h;
                var wr = cos[h - 4 + k];
                var wi = sin[h - 4 + k];
                var xr = (re[b] * wr) - (im[b] * wi);
                var xi = (re[b] * wi) + (im[b] * wr);
                re[b] = re[a] - xr;
                im[b] = im[a] - xi;
                re[a] += xr;
                im[a] += xi;
            }
        }
    }

    /// <summary>The stage of half-size 4: one 4-lane butterfly per block of 8.</summary>
    private void Stage128(float[] re, float[] im)
    {
        ref var r = ref MemoryMarshal.GetArrayDataReference(re);
        ref var i = ref MemoryMarshal.GetArrayDataReference(im);
        var wr = Vector128.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_stageCos));
        var wi = Vector128.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_stageSin));
        for (nuint a = 0; a < (nuint)_half; a += 8)
        {
            var b = a + 4;
            var br = Vector128.LoadUnsafe(ref r, b);
            var bi = Vector128.LoadUnsafe(ref i, b);
            var xr = (br * wr) - (bi * wi);
            var xi = (br * wi) + (bi * wr);
            var ar = Vector128.LoadUnsafe(ref r, a);
            var ai = Vector128.LoadUnsafe(ref i, a);
            (ar - xr).StoreUnsafe(ref r, b);
            (ai - xi).StoreUnsafe(ref i, b);
            (ar + xr).StoreUnsafe(ref r, a);
            (ai + xi).StoreUnsafe(ref i, a);
        }
    }

    private void Stage256(float[] re, float[] im, int h)
    {
        ref var r = ref MemoryMarshal.GetArrayDataReference(re);
        ref var i = ref MemoryMarshal.GetArrayDataReference(im);
        ref var cos = ref MemoryMarshal.GetArrayDataReference(_stageCos);
        ref var sin = ref MemoryMarshal.GetArrayDataReference(_stageSin);
        var table = (nuint)(h - 4);
        for (var start = 0; start < _half; start += 2 * h)
        {
            for (var k = 0; k < h; k += Vector256<float>.Count)
            {
                var a = (nuint)(start + k);
                var b = a + (nuint)h;
                var wr = Vector256.LoadUnsafe(ref cos, table + (nuint)k);
                var wi = Vector256.LoadUnsafe(ref sin, table + (nuint)k);
                var br = Vector256.LoadUnsafe(ref r, b);
                var bi = Vector256.LoadUnsafe(ref i, b);
                var xr = (br * wr) - (bi * wi);
                var xi = (br * wi) + (bi * wr);
                var ar = Vector256.LoadUnsafe(ref r, a);
                var ai = Vector256.LoadUnsafe(ref i, a);
                (ar - xr).StoreUnsafe(ref r, b);
                (ai - xi).StoreUnsafe(ref i, b);
                (ar + xr).StoreUnsafe(ref r, a);
                (ai + xi).StoreUnsafe(ref i, a);
            }
        }
    }

    /// <summary>The split for k = 1, 9, 17, ... eight at a time while k + 7 &lt; half; returns the first k left.</summary>
    private int Split256(float[] re, float[] im, Span<float> power)
    {
        ref var r = ref MemoryMarshal.GetArrayDataReference(re);
        ref var i = ref MemoryMarshal.GetArrayDataReference(im);
        ref var cos = ref MemoryMarshal.GetArrayDataReference(_splitCos);
        ref var sin = ref MemoryMarshal.GetArrayDataReference(_splitSin);
        ref var p = ref MemoryMarshal.GetReference(power);
        var reverse = Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0);
        var half = Vector256.Create(0.5f);
        var minusHalf = Vector256.Create(-0.5f);
        var k = 1;
        for (; k + Vector256<float>.Count <= _half; k += Vector256<float>.Count)
        {
            // Lanes k..k+7 pair with m = half-k down to half-k-7: load those ascending and reverse them.
            var m = (nuint)(_half - k - (Vector256<float>.Count - 1));
            var rk = Vector256.LoadUnsafe(ref r, (nuint)k);
            var ik = Vector256.LoadUnsafe(ref i, (nuint)k);
            var rm = Vector256.Shuffle(Vector256.LoadUnsafe(ref r, m), reverse);
            var im_ = Vector256.Shuffle(Vector256.LoadUnsafe(ref i, m), reverse);
            var er = half * (rk + rm);
            var ei = half * (ik - im_);
            var or = half * (ik + im_);
            var oi = minusHalf * (rk - rm);
            var wr = Vector256.LoadUnsafe(ref cos, (nuint)k);
            var wi = Vector256.LoadUnsafe(ref sin, (nuint)k);
            var xr = er + ((or * wr) - (oi * wi));
            var xi = ei + ((or * wi) + (oi * wr));
            ((xr * xr) + (xi * xi)).StoreUnsafe(ref p, (nuint)k);
        }

        return k;
    }
}
