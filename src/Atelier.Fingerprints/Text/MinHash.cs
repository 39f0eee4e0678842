namespace Atelier.Fingerprints.Text;

/// <summary>
/// Whole-document signatures: one-permutation MinHash (P. Li, A. B. Owen and C.-H. Zhang, "One
/// Permutation Hashing", NeurIPS 2012, Section 3: one hash per shingle, split into bins by its high
/// bits, the minimum kept per bin) with empty bins filled by optimal densification (A. Shrivastava,
/// "Optimal Densification for Fast and Accurate Minwise Hashing", ICML 2017, Algorithm 2: an empty
/// bin borrows from the first non-empty bin that a universal hash of (bin, attempt) lands on). Equal
/// bins estimate the Jaccard similarity of the two documents' k-gram sets. Signatures are split
/// into bands for locality-sensitive hashing (Leskovec, Rajaraman and Ullman, Mining of Massive
/// Datasets, Section 3.4.1): two documents become candidates when any band is equal.
/// </summary>
internal static class MinHash
{
    private const ulong BandSeed = 0xA0761D6478BD642FUL;

    /// <summary>
    /// Computes the signature of a shingle set given as well-mixed 64-bit hashes (the k-gram hashes).
    /// Returns false, leaving <paramref name="signature"/> zero, when there are no shingles.
    /// </summary>
    public static bool Compute(ReadOnlySpan<ulong> shingles, Span<uint> signature)
    {
        signature.Clear();
        if (shingles.IsEmpty)
        {
            return false;
        }

        var bins = (ulong)signature.Length;
        Span<bool> filled = signature.Length <= 1024 ? stackalloc bool[signature.Length] : new bool[signature.Length];
        filled.Clear();
        var minimum = signature.Length <= 1024 ? stackalloc uint[signature.Length] : new uint[signature.Length];
        minimum.Fill(uint.MaxValue);
        foreach (var h in shingles)
        {
            var bin = (int)(((h >> 32) * bins) >> 32);
            var value = (uint)h;
            if (value <= minimum[bin])
            {
                minimum[bin] = value;
                filled[bin] = true;
            }
        }

        for (var i = 0; i < signature.Length; i++)
        {
            if (filled[i])
            {
                signature[i] = minimum[i];
                continue;
            }

            // At least one bin is filled, so this ends; the expected number of attempts is bins/filled.
            for (var attempt = 1UL; ; attempt++)
            {
                var probe = (int)(((Winnowing.Mix(((ulong)i << 32) ^ attempt ^ BandSeed) >> 32) * bins) >> 32);
                if (filled[probe])
                {
                    signature[i] = minimum[probe];
                    break;
                }
            }
        }

        return true;
    }

    /// <summary>The share of equal bins: an estimate of the Jaccard similarity of the two shingle sets.</summary>
    public static double Similarity(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        if (a.Length != b.Length || a.IsEmpty)
        {
            return 0;
        }

        var equal = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i])
            {
                equal++;
            }
        }

        return (double)equal / a.Length;
    }

    /// <summary>One 64-bit key per band of <paramref name="signature"/> (rows = length / bands), band number mixed in.</summary>
    public static void BandKeys(ReadOnlySpan<uint> signature, int bands, Span<ulong> keys)
    {
        var rows = signature.Length / bands;
        for (var b = 0; b < bands; b++)
        {
            var h = BandSeed + (ulong)b;
            for (var r = 0; r < rows; r++)
            {
                h = Winnowing.Mix(h ^ signature[(b * rows) + r]);
            }

            keys[b] = h;
        }
    }
}
