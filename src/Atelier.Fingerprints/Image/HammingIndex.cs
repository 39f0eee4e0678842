using System.Runtime.InteropServices;

namespace Atelier.Fingerprints.Image;

/// <summary>One entry found by a <see cref="HammingIndex"/> search.</summary>
/// <param name="Value">The value stored with the hash.</param>
/// <param name="Distance">Hamming distance from the query.</param>
public readonly record struct HammingHit(int Value, int Distance);

/// <summary>
/// An exact Hamming-radius index over 256-bit hashes: multi-index hashing (M. Norouzi, A. Punjani,
/// D. Fleet, "Fast Exact Search in Hamming Space with Multi-Index Hashing", IEEE TPAMI 2014, §3).
/// The hash is cut into 16 substrings of 16 bits, each with its own table. If two hashes are within r
/// bits, by pigeonhole one substring pair is within floor(r / 16) bits, so probing every substring
/// at that radius and checking full distances never misses a hash within r.
/// </summary>
/// <remarks>
/// <para>
/// Layout: the tables are compressed (CSR) arrays, one 65,536-bucket offset array and one entry
/// array per substring, built in one sort-free counting pass. Entries added later go to a small
/// unsorted tail that is scanned linearly with <see cref="Hamming"/> and folded into the tables when it
/// passes <see cref="TailLimit"/>; removed entries are tombstoned and dropped at the next fold.
/// Memory: 32 bytes of hash, 4 of value and 16 × 4 of table entry, about 100 bytes per hash.
/// </para>
/// <para>
/// Thread safety: any number of concurrent searches, or one writer (reader-writer lock).
/// Radii of 48 and more probe so many buckets that a linear scan is faster, and use one.
/// </para>
/// </remarks>
public sealed class HammingIndex : IDisposable
{
    /// <summary>Unsorted entries kept before the tables are rebuilt.</summary>
    public const int TailLimit = 1 << 14;

    private const int Substrings = 16;
    private const int Buckets = 1 << 16;
    private const int ScanRadius = 48;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly List<PdqHash> _hashes = [];
    private readonly List<int> _values = [];
    private readonly List<bool> _alive = [];
    private int[][] _offsets = [];
    private int[][] _entries = [];
    private int _indexed;
    private int _removed;

    /// <summary>An empty index.</summary>
    public HammingIndex()
    {
        Rebuild();
    }

    /// <summary>An index built at once from <paramref name="items"/> (the fast way to load at start).</summary>
    public HammingIndex(IEnumerable<(PdqHash Hash, int Value)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var (hash, value) in items)
        {
            _hashes.Add(hash);
            _values.Add(value);
            _alive.Add(true);
        }

        Rebuild();
    }

    /// <summary>Number of live entries.</summary>
    public int Count => _lock.Read(() => _hashes.Count - _removed);

    /// <summary>Approximate bytes held by the index (hashes, values and tables).</summary>
    public long MemoryBytes => _lock.Read(() =>
        ((long)_hashes.Capacity * (PdqHash.Bytes + sizeof(int) + sizeof(bool))) + ((long)Substrings * ((Buckets + 1) + _indexed) * sizeof(int)));

    /// <summary>Adds a hash with its value; returns the entry's handle for <see cref="Remove"/>.</summary>
    public int Add(in PdqHash hash, int value)
    {
        _lock.EnterWriteLock();
        try
        {
            var handle = _hashes.Count;
            _hashes.Add(hash);
            _values.Add(value);
            _alive.Add(true);
            if (_hashes.Count - _indexed > TailLimit)
            {
                Rebuild();
            }

            return handle;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes the entry with <paramref name="handle"/>; false when it was already gone.</summary>
    /// <remarks>Handles stay valid until the next <see cref="Compact"/>.</remarks>
    public bool Remove(int handle)
    {
        _lock.EnterWriteLock();
        try
        {
            if ((uint)handle >= (uint)_hashes.Count || !_alive[handle])
            {
                return false;
            }

            _alive[handle] = false;
            _removed++;
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Drops removed entries and rebuilds the tables. Handles change: the returned array maps each old
    /// handle to its new one, or -1 for a removed entry.
    /// </summary>
    public int[] Compact()
    {
        _lock.EnterWriteLock();
        try
        {
            var map = new int[_hashes.Count];
            var next = 0;
            for (var i = 0; i < _hashes.Count; i++)
            {
                if (_alive[i])
                {
                    _hashes[next] = _hashes[i];
                    _values[next] = _values[i];
                    _alive[next] = true;
                    map[i] = next++;
                }
                else
                {
                    map[i] = -1;
                }
            }

            var drop = _hashes.Count - next;
            _hashes.RemoveRange(next, drop);
            _values.RemoveRange(next, drop);
            _alive.RemoveRange(next, drop);
            _removed = 0;
            Rebuild();
            return map;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Every live entry within <paramref name="radius"/> bits of <paramref name="query"/>, in no particular order.</summary>
    public List<HammingHit> Search(in PdqHash query, int radius)
    {
        var hits = new List<HammingHit>();
        Search(query, radius, hits);
        return hits;
    }

    /// <summary>Appends every live entry within <paramref name="radius"/> bits of <paramref name="query"/> to <paramref name="hits"/>.</summary>
    public void Search(in PdqHash query, int radius, List<HammingHit> hits)
    {
        ArgumentNullException.ThrowIfNull(hits);
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        _lock.EnterReadLock();
        try
        {
            var hashes = CollectionsMarshal.AsSpan(_hashes);
            var first = hits.Count;
            if (radius >= ScanRadius)
            {
                ScanRange(hashes, 0, query, radius, hits);
            }
            else
            {
                SearchTables(hashes, query, radius, hits);
                ScanRange(hashes, _indexed, query, radius, hits);
            }

            RemoveDuplicates(hits, first);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _lock.Dispose();

    private void SearchTables(ReadOnlySpan<PdqHash> hashes, in PdqHash query, int radius, List<HammingHit> hits)
    {
        var subRadius = radius / Substrings;
        Span<int> probes = stackalloc int[ProbeCount(subRadius)];
        for (var t = 0; t < Substrings; t++)
        {
            var key = Substring(query, t);
            var n = Neighbours(key, subRadius, probes);
            var offsets = _offsets[t];
            var entries = _entries[t];
            for (var p = 0; p < n; p++)
            {
                var bucket = probes[p];
                for (var e = offsets[bucket]; e < offsets[bucket + 1]; e++)
                {
                    var id = entries[e];
                    if (!_alive[id])
                    {
                        continue;
                    }

                    var d = PdqHash.Distance(hashes[id], query);
                    if (d <= radius)
                    {
                        hits.Add(new HammingHit(id, d));
                    }
                }
            }
        }
    }

    private void ScanRange(ReadOnlySpan<PdqHash> hashes, int start, in PdqHash query, int radius, List<HammingHit> hits)
    {
        if (start >= hashes.Length)
        {
            return;
        }

        var found = new List<int>();
        Hamming.FindWithin(hashes[start..], query, radius, found);
        foreach (var i in found)
        {
            var id = start + i;
            if (_alive[id])
            {
                hits.Add(new HammingHit(id, PdqHash.Distance(hashes[id], query)));
            }
        }
    }

    // Hits carry entry ids until here; an entry can be found through several substrings.
    private void RemoveDuplicates(List<HammingHit> hits, int first)
    {
        var span = CollectionsMarshal.AsSpan(hits)[first..];
        span.Sort(static (a, b) => a.Value.CompareTo(b.Value));
        var kept = 0;
        for (var i = 0; i < span.Length; i++)
        {
            if (i == 0 || span[i].Value != span[i - 1].Value)
            {
                span[kept++] = span[i];
            }
        }

        hits.RemoveRange(first + kept, span.Length - kept);
        for (var i = first; i < hits.Count; i++)
        {
            hits[i] = hits[i] with { Value = _values[hits[i].Value] };
        }
    }

    /// <summary>Counting-sort every entry into the 16 tables.</summary>
    private void Rebuild()
    {
        var n = _hashes.Count;
        var offsets = new int[Substrings][];
        var entries = new int[Substrings][];
        var hashes = CollectionsMarshal.AsSpan(_hashes);
        for (var t = 0; t < Substrings; t++)
        {
            var off = new int[Buckets + 1];
            for (var i = 0; i < n; i++)
            {
                off[Substring(hashes[i], t) + 1]++;
            }

            for (var b = 0; b < Buckets; b++)
            {
                off[b + 1] += off[b];
            }

            var fill = off.AsSpan(0, Buckets).ToArray();
            var ent = new int[n];
            for (var i = 0; i < n; i++)
            {
                ent[fill[Substring(hashes[i], t)]++] = i;
            }

            offsets[t] = off;
            entries[t] = ent;
        }

        _offsets = offsets;
        _entries = entries;
        _indexed = n;
    }

    private static int Substring(in PdqHash h, int t)
    {
        var word = (t >> 2) switch
        {
            0 => h.W0,
            1 => h.W1,
            2 => h.W2,
            _ => h.W3,
        };
        return (int)((word >> ((t & 3) * 16)) & 0xFFFF);
    }

    private static int ProbeCount(int subRadius) => subRadius switch
    {
        0 => 1,
        1 => 1 + 16,
        _ => 1 + 16 + 120,
    };

    /// <summary>Every 16-bit key within <paramref name="subRadius"/> (0–2) bits of <paramref name="key"/>.</summary>
    private static int Neighbours(int key, int subRadius, Span<int> probes)
    {
        var n = 0;
        probes[n++] = key;
        if (subRadius >= 1)
        {
            for (var a = 0; a < 16; a++)
            {
                probes[n++] = key ^ (1 << a);
            }
        }

        if (subRadius >= 2)
        {
            for (var a = 0; a < 16; a++)
            {
                for (var b = a + 1; b < 16; b++)
                {
                    probes[n++] = key ^ (1 << a) ^ (1 << b);
                }
            }
        }

        return n;
    }
}
