namespace Atelier.Fingerprints.Image;

/// <summary>Bilinear resampling of a float plane, pixel centres aligned (half-pixel convention).</summary>
internal static class Resample
{
    /// <summary>Resamples a region of <paramref name="source"/> (row stride <paramref name="stride"/>) to <paramref name="dw"/>×<paramref name="dh"/>.</summary>
    public static void Bilinear(ReadOnlySpan<float> source, int sw, int sh, int stride, Span<float> destination, int dw, int dh)
    {
        Span<int> x0 = dw <= 1024 ? stackalloc int[dw] : new int[dw];
        Span<float> fx = dw <= 1024 ? stackalloc float[dw] : new float[dw];
        for (var x = 0; x < dw; x++)
        {
            var sx = Math.Clamp(((x + 0.5) * sw / dw) - 0.5, 0, sw - 1);
            x0[x] = Math.Min((int)sx, sw - 2 < 0 ? 0 : sw - 2);
            fx[x] = (float)(sx - x0[x]);
        }

        for (var y = 0; y < dh; y++)
        {
            var sy = Math.Clamp(((y + 0.5) * sh / dh) - 0.5, 0, sh - 1);
            var y0 = Math.Min((int)sy, sh - 2 < 0 ? 0 : sh - 2);
            var fy = (float)(sy - y0);
            var r0 = source.Slice(y0 * stride, sw);
            var r1 = sh > 1 ? source.Slice((y0 + 1) * stride, sw) : r0;
            var dst = destination.Slice(y * dw, dw);
            for (var x = 0; x < dw; x++)
            {
                var i = x0[x];
                var j = sw > 1 ? i + 1 : i;
                var top = r0[i] + ((r0[j] - r0[i]) * fx[x]);
                var bottom = r1[i] + ((r1[j] - r1[i]) * fx[x]);
                dst[x] = top + ((bottom - top) * fy);
            }
        }
    }
}
