using System.Diagnostics;
using System.Numerics;

namespace Atelier.Fingerprints.Text;

/// <summary>
/// An immutable sorted run of the inverted index: fingerprint hashes in ascending order with a
/// parallel array of postings, each the fingerprint's global id (its work's first id plus its
/// ordinal in the work; see <see cref="TextIndex"/>). A directory over the top bits of the hash
/// narrows each lookup to a handful of entries, so a lookup costs one or two cache misses instead
/// of a binary search over millions of keys. Twelve bytes per posting plus four per directory
/// bucket (one bucket per four to eight postings).
/// </summary>
internal sealed class PostingRun
{
    private const int MinDirectoryBits = 4;
    private const int MaxDirectoryBits = 26;

    private readonly ulong[] _keys;
    private readonly uint[] _postings;
    private readonly int[] _directory;
    private readonly int _shift;

    /// <summary>Takes ownership of the arrays, which must be sorted by key and hold exactly <paramref name="count"/> entries.</summary>
    public PostingRun(ulong[] keys, uint[] postings, int count)
    {
        Debug.Assert(keys.Length == count && postings.Length == count, "runs hold exact-size arrays");
        _keys = keys;
        _postings = postings;
        Count = count;
        var bits = Math.Clamp(BitOperations.Log2((uint)Math.Max(count / 4, 1)), MinDirectoryBits, MaxDirectoryBits);
        _shift = 64 - bits;
        _directory = new int[(1 << bits) + 1];
        var k = 0;
        for (var bucket = 0; bucket < (1 << bits); bucket++)
        {
            _directory[bucket] = k;
            while (k < count && (int)(keys[k] >> _shift) == bucket)
            {
                k++;
            }
        }

        _directory[1 << bits] = count;
    }

    public int Count { get; }

    public ReadOnlySpan<ulong> Keys => _keys;

    public ReadOnlySpan<uint> Postings => _postings;

    /// <summary>Bytes held by this run.</summary>
    public long MemoryBytes => (12L * _keys.Length) + (4L * _directory.Length);

    /// <summary>The postings of <paramref name="key"/> (empty when absent).</summary>
    public ReadOnlySpan<uint> Find(ulong key)
    {
        var bucket = (int)(key >> _shift);
        var lo = _directory[bucket];
        var hi = _directory[bucket + 1];
        var keys = _keys.AsSpan(lo, hi - lo);
        var at = keys.BinarySearch(key);
        if (at < 0)
        {
            return [];
        }

        // BinarySearch finds any of the equal keys; widen to all of them.
        var first = at;
        while (first > 0 && keys[first - 1] == key)
        {
            first--;
        }

        var last = at;
        while (last + 1 < keys.Length && keys[last + 1] == key)
        {
            last++;
        }

        return _postings.AsSpan(lo + first, last - first + 1);
    }

    /// <summary>Builds a run from unsorted entries, dropping postings that are not live.</summary>
    public static PostingRun Build(ulong[] keys, uint[] postings, int count, Func<uint, bool>? isLive)
    {
        Array.Sort(keys, postings, 0, count);
        return Compact(keys, postings, count, isLive);
    }

    /// <summary>Merges two runs into one, dropping postings that are not live (null: all are).</summary>
    public static PostingRun Merge(PostingRun a, PostingRun b, Func<uint, bool>? isLive)
    {
        var keys = new ulong[a.Count + b.Count];
        var postings = new uint[a.Count + b.Count];
        int i = 0, j = 0, n = 0;
        while (i < a.Count || j < b.Count)
        {
            ulong key;
            uint posting;
            if (j >= b.Count || (i < a.Count && a._keys[i] <= b._keys[j]))
            {
                key = a._keys[i];
                posting = a._postings[i++];
            }
            else
            {
                key = b._keys[j];
                posting = b._postings[j++];
            }

            if (isLive is null || isLive(posting))
            {
                keys[n] = key;
                postings[n++] = posting;
            }
        }

        return new PostingRun(Trim(keys, n), Trim(postings, n), n);
    }

    private static PostingRun Compact(ulong[] keys, uint[] postings, int count, Func<uint, bool>? isLive)
    {
        var n = 0;
        for (var i = 0; i < count; i++)
        {
            if (isLive is null || isLive(postings[i]))
            {
                keys[n] = keys[i];
                postings[n++] = postings[i];
            }
        }

        return new PostingRun(Trim(keys, n), Trim(postings, n), n);
    }

    private static T[] Trim<T>(T[] array, int count) => array.Length == count ? array : array.AsSpan(0, count).ToArray();

    /// <summary>A copy of this run with every posting passed through <paramref name="map"/> (ids renumbered); postings mapped to null are dropped.</summary>
    public PostingRun Renumber(Func<uint, uint?> map)
    {
        var keys = new ulong[Count];
        var postings = new uint[Count];
        var n = 0;
        for (var i = 0; i < Count; i++)
        {
            if (map(_postings[i]) is { } id)
            {
                keys[n] = _keys[i];
                postings[n++] = id;
            }
        }

        // Renumbering keeps the key order, and ties among equal keys need no order.
        return new PostingRun(Trim(keys, n), Trim(postings, n), n);
    }
}
