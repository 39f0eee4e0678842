namespace Atelier.Fingerprints.Audio;

/// <summary>
/// Power spectrum of a real frame: a radix-2 decimation-in-time complex FFT of half the length over the
/// even/odd samples packed as real/imaginary parts, then the standard split into the real signal's
/// spectrum (Cooley and Tukey 1965; the packing trick as in Press et al., Numerical Recipes 3rd ed., §12.3).
/// Written here rather than taken from MathNet.Numerics because the fingerprinter computes 62.5 frames per
/// second of audio and MathNet's real transform took about 30 µs a 1024-point frame on this machine, which
/// alone would spend the whole speed budget of issue 5; this one takes a fraction of that (see
/// bench/Atelier.Bench.Audio). Not thread-safe: one instance per thread.
/// </summary>
internal sealed class RealFft
{
    private readonly int _n;
    private readonly int _half;
    private readonly int[] _bitReverse;
    private readonly float[] _cos;
    private readonly float[] _sin;
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

        // Twiddles of the half-length transform, e^{-2πik/half} for k < half/2.
        _cos = new float[_half / 2];
        _sin = new float[_half / 2];
        for (var k = 0; k < _half / 2; k++)
        {
            var a = -2 * Math.PI * k / _half;
            _cos[k] = (float)Math.Cos(a);
            _sin[k] = (float)Math.Sin(a);
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

    /// <summary>Length of the input frame.</summary>
    public int Length => _n;

    /// <summary>Writes |X[k]|² for k = 0..n/2 (n/2 + 1 values) of the real frame <paramref name="frame"/>.</summary>
    public void Power(ReadOnlySpan<float> frame, Span<float> power)
    {
        if (frame.Length != _n || power.Length < _half + 1)
        {
            throw new ArgumentException("frame must hold n samples and power n/2 + 1 values");
        }

        var re = _re;
        var im = _im;
        var rev = _bitReverse;
        for (var i = 0; i < _half; i++)
        {
            var j = rev[i];
            re[j] = frame[2 * i];
            im[j] = frame[(2 * i) + 1];
        }

        // First two stages as one radix-4 pass (trivial twiddles), then radix-2 stages.
        for (var i = 0; i < _half; i += 4)
        {
            float ar = re[i], ai = im[i], br = re[i + 1], bi = im[i + 1];
            float cr = re[i + 2], ci = im[i + 2], dr = re[i + 3], di = im[i + 3];
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

        var cos = _cos;
        var sin = _sin;
        for (var size = 8; size <= _half; size <<= 1)
        {
            var halfSize = size >> 1;
            var step = _half / size;
            for (var start = 0; start < _half; start += size)
            {
                for (int k = 0, t = 0; k < halfSize; k++, t += step)
                {
                    var a = start + k;
                    var b = a + halfSize;
                    var wr = cos[t];
                    var wi = sin[t];
                    var xr = (re[b] * wr) - (im[b] * wi);
                    var xi = (re[b] * wi) + (im[b] * wr);
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }

        // Split Z (the packed transform) into X: X[k] = E[k] + W^k O[k], with
        // E[k] = (Z[k] + conj Z[h-k]) / 2 and O[k] = (Z[k] - conj Z[h-k]) / 2i.
        power[0] = (re[0] + im[0]) * (re[0] + im[0]);
        power[_half] = (re[0] - im[0]) * (re[0] - im[0]);
        var splitCos = _splitCos;
        var splitSin = _splitSin;
        for (var k = 1; k < _half; k++)
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
}
