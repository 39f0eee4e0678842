using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atelier.Fingerprints.Image;

public static partial class Hamming
{
    /// <summary>
    /// AVX2 scan. Lane layout: one 256-bit hash per Vector256; popcount by the nibble table
    /// (VPSHUFB on the low and high nibble of each byte), VPSADBW folds the 32 byte counts into four
    /// 64-bit lane counts, and four hashes' lane counts are transposed and added so one vector holds
    /// four distances. The tail (fewer than four hashes) goes through the scalar loop.
    /// </summary>
    internal static class Vectorized
    {
        public static bool IsSupported => Avx2.IsSupported;

        public static int FindWithin(ReadOnlySpan<PdqHash> hashes, in PdqHash query, int radius, List<int> matches)
        {
            if (!Avx2.IsSupported)
            {
                return FindWithinScalar(hashes, query, radius, matches);
            }

            var words = MemoryMarshal.Cast<PdqHash, ulong>(hashes);
            ref var w = ref MemoryMarshal.GetReference(words);
            var q = Vector256.Create(query.W0, query.W1, query.W2, query.W3).AsByte();
            var table = Vector256.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
            var low = Vector256.Create((byte)0x0F);
            var limit = Vector256.Create((long)radius);
            var found = 0;
            var i = 0;
            for (; i <= hashes.Length - 4; i += 4)
            {
                var c0 = LaneCounts(Vector256.LoadUnsafe(ref w, (nuint)(i * 4)).AsByte() ^ q, table, low);
                var c1 = LaneCounts(Vector256.LoadUnsafe(ref w, (nuint)((i + 1) * 4)).AsByte() ^ q, table, low);
                var c2 = LaneCounts(Vector256.LoadUnsafe(ref w, (nuint)((i + 2) * 4)).AsByte() ^ q, table, low);
                var c3 = LaneCounts(Vector256.LoadUnsafe(ref w, (nuint)((i + 3) * 4)).AsByte() ^ q, table, low);

                // [a0+a1, b0+b1, a2+a3, b2+b3] for the pairs (c0,c1) and (c2,c3), then fold the halves.
                var s01 = Avx2.UnpackLow(c0, c1) + Avx2.UnpackHigh(c0, c1);
                var s23 = Avx2.UnpackLow(c2, c3) + Avx2.UnpackHigh(c2, c3);
                var lowHalves = Avx2.Permute2x128(s01, s23, 0x20);
                var highHalves = Avx2.Permute2x128(s01, s23, 0x31);
                var distances = (lowHalves + highHalves).AsInt64(); // [d0, d1, d2, d3]
                var within = Avx2.CompareGreaterThan(distances, limit);
                var mask = ~Avx.MoveMask(within.AsDouble()) & 0xF;
                while (mask != 0)
                {
                    var lane = System.Numerics.BitOperations.TrailingZeroCount(mask);
                    matches.Add(i + lane);
                    found++;
                    mask &= mask - 1;
                }
            }

            if (i < hashes.Length)
            {
                var tail = new List<int>();
                FindWithinScalar(hashes[i..], query, radius, tail);
                foreach (var t in tail)
                {
                    matches.Add(i + t);
                }

                found += tail.Count;
            }

            return found;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<ulong> LaneCounts(Vector256<byte> x, Vector256<byte> table, Vector256<byte> low)
        {
            var lo = Avx2.Shuffle(table, x & low);
            var hi = Avx2.Shuffle(table, Avx2.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & low);
            return Avx2.SumAbsoluteDifferences(lo + hi, Vector256<byte>.Zero).AsUInt64();
        }
    }
}
