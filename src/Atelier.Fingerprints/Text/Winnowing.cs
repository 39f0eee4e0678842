using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Atelier.Fingerprints.Text;

/// <summary>
/// k-gram hashing and winnowing, after S. Schleimer, D. S. Wilkerson and A. Aiken, "Winnowing: Local
/// Algorithms for Document Fingerprinting", SIGMOD 2003. Section 3 defines winnowing: in every
/// window of w consecutive k-gram hashes select the minimum, the rightmost one on ties, which
/// guarantees that any match of at least t = w + k − 1 tokens shares a fingerprint (k being the
/// noise threshold) at an expected density of 2 / (w + 1). The paper's robust winnowing, brought in
/// with its experiments on low-entropy text, keeps the previous window's choice while it is still a
/// minimum, so runs of equal hashes (repetitive text) do not inflate the fingerprint; that is the
/// variant here. k-gram hashes are Karp-Rabin style polynomials, as the paper uses.
/// </summary>
/// <remarks>
/// Tokens are words or single CJK characters (see <see cref="TokenStream"/>). To let one window cover
/// mixed text, a k-gram is measured in units: a word weighs CjkGram units and a CJK character
/// WordGram, and a k-gram is the shortest run of tokens reaching WordGram × CjkGram units, so it is
/// WordGram words in English and CjkGram characters in Chinese. The k-gram hash is a polynomial
/// over the 64-bit token hashes modulo 2^64 (Karp-Rabin without the division, computed from prefix
/// sums), finished with a 64-bit mixer so the window minimum is a uniform sample.
/// </remarks>
internal static class Winnowing
{
    // An odd multiplier with well-spread bits (2^64 / golden ratio): the polynomial base.
    private const ulong Base = 0x9E3779B97F4A7C15UL;

    /// <summary>Murmur3's 64-bit finaliser: every input bit affects every output bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDUL;
        x ^= x >> 33;
        x *= 0xC4CEB9FE1A85EC53UL;
        x ^= x >> 33;
        return x;
    }

    /// <summary>
    /// Hashes every k-gram of <paramref name="tokens"/>. Gram i starts at token i; the arrays get one
    /// entry per gram and the count is returned (zero when the text is shorter than one gram).
    /// </summary>
    public static int HashGrams(TokenStream tokens, TextFingerprintOptions options, GramBuffer grams)
    {
        var n = tokens.Count;
        var wordUnits = options.CjkGram;
        var cjkUnits = options.WordGram;
        var gramUnits = options.GramUnits;
        var maxTokens = Math.Max(options.WordGram, options.CjkGram);
        grams.EnsureCapacity(n, maxTokens);

        // Prefix polynomial: prefix[i] = sum over j < i of hash[j] * Base^(i-1-j), so the gram
        // [a, b) hashes to prefix[b] - prefix[a] * Base^(b-a).
        var prefix = grams.Prefix;
        var units = grams.TokenUnits;
        var power = grams.Powers;
        power[0] = 1;
        for (var m = 1; m <= maxTokens; m++)
        {
            power[m] = power[m - 1] * Base;
        }

        var hashes = tokens.Hashes;
        var kinds = tokens.Kinds;
        prefix[0] = 0;
        units[0] = 0;
        for (var i = 0; i < n; i++)
        {
            prefix[i + 1] = (prefix[i] * Base) + hashes[i];
            units[i + 1] = units[i] + (kinds[i] == TokenStream.CjkKind ? cjkUnits : wordUnits);
        }

        var count = 0;
        var end = 0;
        var starts = tokens.Starts;
        var ends = tokens.Ends;
        for (var a = 0; a < n; a++)
        {
            while (end < n && units[end] - units[a] < gramUnits)
            {
                end++;
            }

            if (units[end] - units[a] < gramUnits)
            {
                break;
            }

            Debug.Assert(end - a <= maxTokens, "a gram never spans more tokens than its unit budget allows");
            grams.Hashes[count] = Mix(prefix[end] - (prefix[a] * power[end - a]));
            grams.Units[count] = units[a];
            grams.SourceStarts[count] = starts[a];
            grams.SourceEnds[count] = ends[end - 1];
            count++;
        }

        grams.Count = count;
        return count;
    }

    /// <summary>
    /// Robust winnowing over <paramref name="hashes"/>: writes the indices of the selected grams,
    /// in increasing order, to <paramref name="selected"/> and returns how many. A text shorter than
    /// one window is one window.
    /// </summary>
    public static int Select(ReadOnlySpan<ulong> hashes, int window, Span<int> selected)
    {
        var m = hashes.Length;
        if (m == 0)
        {
            return 0;
        }

        var w = Math.Min(window, m);

        // A monotone deque of indices whose hashes never decrease from front to back; equal hashes
        // stay, so the leading run of equal values holds every minimum of the window. Capacity is a
        // power of two at least w + 1 so indices wrap with a mask.
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)w + 1);
        Span<int> ring = capacity <= 128 ? stackalloc int[capacity] : new int[capacity];
        var mask = capacity - 1;
        int head = 0, tail = 0; // the deque is ring[head..tail) modulo capacity
        var last = -1;
        var count = 0;
        for (var i = 0; i < m; i++)
        {
            var h = hashes[i];
            while (tail != head && hashes[ring[(tail - 1) & mask]] > h)
            {
                tail--;
            }

            ring[tail & mask] = i;
            tail++;
            if (ring[head & mask] <= i - w)
            {
                head++;
            }

            if (i < w - 1)
            {
                continue;
            }

            var min = hashes[ring[head & mask]];
            if (last > i - w && hashes[last] == min)
            {
                continue;
            }

            var pick = head;
            while (pick + 1 != tail && hashes[ring[(pick + 1) & mask]] == min)
            {
                pick++;
            }

            last = ring[pick & mask];
            selected[count++] = last;
        }

        return count;
    }
}
