using System.Numerics;

namespace Atelier.Fingerprints.Image;

/// <summary>
/// Linear scans for 256-bit hashes within a Hamming radius. The instruction set is chosen once:
/// AVX2 (a nibble-table popcount over four hashes at a time, see Hamming.Vectorized.cs) where the
/// benchmark shows it beats POPCNT, else the scalar XOR + POPCNT loop.
/// </summary>
public static partial class Hamming
{
    /// <summary>Which implementation <see cref="FindWithin"/> uses on this machine.</summary>
    public static string Path => UseVectorized ? "avx2" : "scalar";

    private static readonly bool UseVectorized = Vectorized.IsSupported && !DisabledByEnvironment();

    /// <summary>Appends to <paramref name="matches"/> the index of every hash within <paramref name="radius"/> bits of <paramref name="query"/>.</summary>
    /// <returns>How many were appended.</returns>
    public static int FindWithin(ReadOnlySpan<PdqHash> hashes, in PdqHash query, int radius, List<int> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        return UseVectorized
            ? Vectorized.FindWithin(hashes, query, radius, matches)
            : FindWithinScalar(hashes, query, radius, matches);
    }

    /// <summary>True when <see cref="FindWithinVectorized"/> runs vector code on this machine.</summary>
    public static bool VectorizedSupported => Vectorized.IsSupported;

    /// <summary>The AVX2 path, whatever <see cref="Path"/> chose (for tests and benchmarks); scalar where AVX2 is missing.</summary>
    public static int FindWithinVectorized(ReadOnlySpan<PdqHash> hashes, in PdqHash query, int radius, List<int> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        return Vectorized.FindWithin(hashes, query, radius, matches);
    }

    /// <summary>The scalar reference path: XOR and POPCNT over the four words.</summary>
    public static int FindWithinScalar(ReadOnlySpan<PdqHash> hashes, in PdqHash query, int radius, List<int> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var found = 0;
        ulong q0 = query.W0, q1 = query.W1, q2 = query.W2, q3 = query.W3;
        for (var i = 0; i < hashes.Length; i++)
        {
            ref readonly var h = ref hashes[i];
            var d = BitOperations.PopCount(h.W0 ^ q0) + BitOperations.PopCount(h.W1 ^ q1) +
                    BitOperations.PopCount(h.W2 ^ q2) + BitOperations.PopCount(h.W3 ^ q3);
            if (d <= radius)
            {
                matches.Add(i);
                found++;
            }
        }

        return found;
    }

    // ATELIER_HAMMING_SCALAR=1 switches the wider path off, so tests and benchmarks can run both (STYLE.md "SIMD paths").
    private static bool DisabledByEnvironment() => Environment.GetEnvironmentVariable("ATELIER_HAMMING_SCALAR") == "1";
}
