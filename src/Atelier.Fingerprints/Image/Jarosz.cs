using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Atelier.Fingerprints.Image;

/// <summary>
/// The PDQ downsampler (ThreatExchange pdq/README and hashing.pdf §2, "Downsampling"): two X,Y passes
/// of 1-D box filters approximate a tent filter (W. Jarosz, "Fast Image Convolutions", SIGGRAPH 2001),
/// then 64×64 samples are taken at the centres of a 64×64 grid. The window along each axis is
/// ceil(size / 128), half a 64th of the image, so the two passes together span one output cell.
/// </summary>
/// <remarks>
/// The running sums add and subtract in upstream's order, with partial windows at both ends, so the
/// 64×64 block matches upstream's on the same luminance up to float rounding.
/// </remarks>
internal static class Jarosz
{
    public const int Size = 64;
    private const int Passes = 2;
    private const int WindowDivisor = 2 * Size;

    /// <summary>The box width along an axis of <paramref name="length"/> samples: ceil(length / 128).</summary>
    public static int WindowSize(int length) => (length + WindowDivisor - 1) / WindowDivisor;

    /// <summary>Filters a copy of the region and samples it to <paramref name="block"/> (64×64, row-major).</summary>
    public static void Downsample(ReadOnlySpan<float> luma, int width, int height, int stride, Span<float> block)
    {
        Debug.Assert(block.Length >= Size * Size);
        Debug.Assert(width >= 1 && height >= 1 && stride >= width);
        var count = width * height;
        var rented1 = ArrayPool<float>.Shared.Rent(count);
        var rented2 = ArrayPool<float>.Shared.Rent(count);
        try
        {
            var a = rented1.AsSpan(0, count);
            var b = rented2.AsSpan(0, count);
            for (var y = 0; y < height; y++)
            {
                luma.Slice(y * stride, width).CopyTo(a.Slice(y * width, width));
            }

            var rowWindow = WindowSize(width);
            var colWindow = WindowSize(height);
            for (var pass = 0; pass < Passes; pass++)
            {
                BoxRows(a, b, width, height, rowWindow);
                BoxColumns(b, a, width, height, colWindow);
            }

            Decimate(a, width, height, block);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented1);
            ArrayPool<float>.Shared.Return(rented2);
        }
    }

    private static void Decimate(ReadOnlySpan<float> a, int width, int height, Span<float> block)
    {
        Span<int> cols = stackalloc int[Size];
        for (var j = 0; j < Size; j++)
        {
            cols[j] = (int)((j + 0.5) * width / Size);
        }

        for (var i = 0; i < Size; i++)
        {
            var row = a.Slice((int)((i + 0.5) * height / Size) * width, width);
            var dst = block.Slice(i * Size, Size);
            for (var j = 0; j < Size; j++)
            {
                dst[j] = row[cols[j]];
            }
        }
    }

    /// <summary>
    /// Lengths of upstream's four phases for a window over <paramref name="length"/> samples: accumulate
    /// half a window, write with a growing window, with the full window, then with a shrinking one. An
    /// even window reaches one sample further back than forward, as upstream's does.
    /// </summary>
    private static (int Accumulate, int Grow, int Full, int Shrink) Phases(int window, int length)
    {
        var half = (window + 2) / 2;
        return (half - 1, window - half + 1, length - window, half - 1);
    }

    /// <summary>
    /// Box filter along each row. Upstream's four phases: accumulate half a window, write with a
    /// growing window, write with the full window, write with a shrinking window.
    /// </summary>
    private static void BoxRows(ReadOnlySpan<float> src, Span<float> dst, int width, int height, int window)
    {
        if (window == 1)
        {
            src.Slice(0, width * height).CopyTo(dst);
            return;
        }

        var (phase1, phase2, phase3, phase4) = Phases(window, width);
        for (var y = 0; y < height; y++)
        {
            var input = src.Slice(y * width, width);
            var output = dst.Slice(y * width, width);
            float sum = 0;
            var n = 0;
            int r = 0, l = 0, o = 0;
            for (var k = 0; k < phase1; k++)
            {
                sum += input[r++];
                n++;
            }

            for (var k = 0; k < phase2; k++)
            {
                sum += input[r++];
                n++;
                output[o++] = sum / n;
            }

            for (var k = 0; k < phase3; k++)
            {
                sum += input[r++];
                sum -= input[l++];
                output[o++] = sum / n;
            }

            for (var k = 0; k < phase4; k++)
            {
                sum -= input[l++];
                n--;
                output[o++] = sum / n;
            }
        }
    }

    /// <summary>
    /// Box filter along each column, run a whole row at a time so the columns are the vector lanes;
    /// each lane does exactly the scalar column's additions in the same order.
    /// </summary>
    private static void BoxColumns(ReadOnlySpan<float> src, Span<float> dst, int width, int height, int window)
    {
        if (window == 1)
        {
            src.Slice(0, width * height).CopyTo(dst);
            return;
        }

        var (phase1, phase2, phase3, phase4) = Phases(window, height);
        var rentedSum = ArrayPool<float>.Shared.Rent(width);
        try
        {
            var sum = rentedSum.AsSpan(0, width);
            sum.Clear();
            var n = 0;
            int r = 0, l = 0, o = 0;
            for (var k = 0; k < phase1; k++)
            {
                Rows.Add(sum, src.Slice(r++ * width, width));
                n++;
            }

            for (var k = 0; k < phase2; k++)
            {
                Rows.Add(sum, src.Slice(r++ * width, width));
                n++;
                Rows.Divide(sum, n, dst.Slice(o++ * width, width));
            }

            for (var k = 0; k < phase3; k++)
            {
                Rows.AddSubtract(sum, src.Slice(r++ * width, width), src.Slice(l++ * width, width));
                Rows.Divide(sum, n, dst.Slice(o++ * width, width));
            }

            for (var k = 0; k < phase4; k++)
            {
                Rows.Subtract(sum, src.Slice(l++ * width, width));
                n--;
                Rows.Divide(sum, n, dst.Slice(o++ * width, width));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rentedSum);
        }
    }

    /// <summary>
    /// Element-wise row arithmetic. Lanes are consecutive columns: Vector256 (8 floats) where the
    /// hardware accelerates it, else Vector128 (4), and a scalar loop for the tail of each row.
    /// </summary>
    private static class Rows
    {
        public static void Add(Span<float> sum, ReadOnlySpan<float> add)
        {
            ref var s = ref MemoryMarshal.GetReference(sum);
            ref var a = ref MemoryMarshal.GetReference(add);
            var i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i <= sum.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    (Vector256.LoadUnsafe(ref s, (nuint)i) + Vector256.LoadUnsafe(ref a, (nuint)i)).StoreUnsafe(ref s, (nuint)i);
                }
            }
            else if (Vector128.IsHardwareAccelerated)
            {
                for (; i <= sum.Length - Vector128<float>.Count; i += Vector128<float>.Count)
                {
                    (Vector128.LoadUnsafe(ref s, (nuint)i) + Vector128.LoadUnsafe(ref a, (nuint)i)).StoreUnsafe(ref s, (nuint)i);
                }
            }

            for (; i < sum.Length; i++)
            {
                Unsafe.Add(ref s, i) += Unsafe.Add(ref a, i);
            }
        }

        public static void Subtract(Span<float> sum, ReadOnlySpan<float> sub)
        {
            ref var s = ref MemoryMarshal.GetReference(sum);
            ref var b = ref MemoryMarshal.GetReference(sub);
            var i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i <= sum.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    (Vector256.LoadUnsafe(ref s, (nuint)i) - Vector256.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref s, (nuint)i);
                }
            }
            else if (Vector128.IsHardwareAccelerated)
            {
                for (; i <= sum.Length - Vector128<float>.Count; i += Vector128<float>.Count)
                {
                    (Vector128.LoadUnsafe(ref s, (nuint)i) - Vector128.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref s, (nuint)i);
                }
            }

            for (; i < sum.Length; i++)
            {
                Unsafe.Add(ref s, i) -= Unsafe.Add(ref b, i);
            }
        }

        /// <summary>sum += add; sum -= sub, in that order (upstream's phase 3).</summary>
        public static void AddSubtract(Span<float> sum, ReadOnlySpan<float> add, ReadOnlySpan<float> sub)
        {
            ref var s = ref MemoryMarshal.GetReference(sum);
            ref var a = ref MemoryMarshal.GetReference(add);
            ref var b = ref MemoryMarshal.GetReference(sub);
            var i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i <= sum.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    var v = Vector256.LoadUnsafe(ref s, (nuint)i) + Vector256.LoadUnsafe(ref a, (nuint)i);
                    (v - Vector256.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref s, (nuint)i);
                }
            }
            else if (Vector128.IsHardwareAccelerated)
            {
                for (; i <= sum.Length - Vector128<float>.Count; i += Vector128<float>.Count)
                {
                    var v = Vector128.LoadUnsafe(ref s, (nuint)i) + Vector128.LoadUnsafe(ref a, (nuint)i);
                    (v - Vector128.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref s, (nuint)i);
                }
            }

            for (; i < sum.Length; i++)
            {
                var v = Unsafe.Add(ref s, i) + Unsafe.Add(ref a, i);
                Unsafe.Add(ref s, i) = v - Unsafe.Add(ref b, i);
            }
        }

        public static void Divide(ReadOnlySpan<float> sum, int n, Span<float> output)
        {
            ref var s = ref MemoryMarshal.GetReference(sum);
            ref var o = ref MemoryMarshal.GetReference(output);
            float d = n;
            var i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var dv = Vector256.Create(d);
                for (; i <= sum.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    (Vector256.LoadUnsafe(ref s, (nuint)i) / dv).StoreUnsafe(ref o, (nuint)i);
                }
            }
            else if (Vector128.IsHardwareAccelerated)
            {
                var dv = Vector128.Create(d);
                for (; i <= sum.Length - Vector128<float>.Count; i += Vector128<float>.Count)
                {
                    (Vector128.LoadUnsafe(ref s, (nuint)i) / dv).StoreUnsafe(ref o, (nuint)i);
                }
            }

            for (; i < sum.Length; i++)
            {
                Unsafe.Add(ref o, i) = Unsafe.Add(ref s, i) / d;
            }
        }
    }
}
