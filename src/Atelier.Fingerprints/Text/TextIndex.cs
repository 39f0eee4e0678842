using System.Buffers;
using System.Runtime.InteropServices;

namespace Atelier.Fingerprints.Text;

/// <summary>
/// The in-memory text match index: an inverted index from fingerprint hash to (work, fingerprint)
/// for passages, LSH bands over MinHash signatures for whole near-duplicate documents, and a map of
/// content digests for near-exact copies. Works are added and removed by id; a suspect is matched
/// with <see cref="Match"/>, which finds candidates through the index and verifies each by aligning
/// the shared fingerprints into passages.
/// </summary>
/// <remarks>
/// Postings live in a few immutable sorted runs (<see cref="PostingRun"/>) kept in geometrically
/// growing sizes, as in a log-structured merge tree: adding a work sorts its postings into a small
/// run and merges equal-sized runs, so adds cost O(log n) amortised per posting and lookups stay a
/// handful of probes. Removal marks the work dead at once (its postings are skipped) and the space
/// is reclaimed when dead postings pass a quarter of the total. Safe for any number of concurrent
/// readers and writers: reads share a lock, writes take it alone.
/// </remarks>
public sealed class TextIndex : IDisposable
{
    private readonly TextFingerprintOptions _options;
    private readonly TextMatchOptions _matchOptions;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly List<IndexedWork?> _slots = [];

    // Global fingerprint ids: work s owns ids [_bases[s], _bases[s] + its count); postings hold ids,
    // four bytes each, and an id finds its work by binary search over _bases (increasing with s).
    private readonly List<uint> _bases = [];
    private long _nextId;
    private readonly Dictionary<string, int> _byId = new(StringComparer.Ordinal);
    private readonly SlotMultiMap<UInt128> _byContent = new();
    private readonly SlotMultiMap<ulong> _bands = new();
    private readonly List<PostingRun> _runs = [];
    private long _postings;
    private long _deadPostings;

    /// <summary>Ids at or above this are never handed out; lowered only by tests of renumbering.</summary>
    internal long IdLimit { get; set; } = uint.MaxValue;

    /// <summary>Creates an empty index.</summary>
    /// <param name="options">Fingerprint options; sets made with other options are refused. Default when null.</param>
    /// <param name="matchOptions">Matching options; default when null.</param>
    public TextIndex(TextFingerprintOptions? options = null, TextMatchOptions? matchOptions = null)
    {
        _options = options ?? TextFingerprintOptions.Default;
        _options.Validate();
        _matchOptions = matchOptions ?? TextMatchOptions.Default;
        _matchOptions.Validate(_options);
    }

    /// <summary>Number of works in the index.</summary>
    public int Count => _lock.Read(() => _byId.Count);

    /// <summary>Number of live fingerprints (postings) in the index.</summary>
    public long FingerprintCount => _lock.Read(() => _postings - _deadPostings);

    /// <summary>True when the index holds <paramref name="workId"/>.</summary>
    public bool Contains(string workId)
    {
        ArgumentNullException.ThrowIfNull(workId);
        return _lock.Read(() => _byId.ContainsKey(workId));
    }

    /// <summary>
    /// Adds a work, replacing any earlier fingerprints under the same id.
    /// </summary>
    /// <exception cref="ArgumentException">The id is empty, or the set was made with other options or another normaliser version.</exception>
    /// <exception cref="InvalidOperationException">The index would hold more than 2^32 − 1 fingerprints; nothing was changed.</exception>
    public void Add(string workId, TextFingerprintSet fingerprints) => AddRange([new KeyValuePair<string, TextFingerprintSet>(workId, fingerprints)]);

    /// <summary>Adds many works at once (one sort instead of one per work): the way to load an index at start.</summary>
    /// <exception cref="ArgumentException">An id is empty or repeated, or a set was made with other options or another normaliser version.</exception>
    /// <exception cref="InvalidOperationException">The index would hold more than 2^32 − 1 fingerprints; nothing was changed.</exception>
    public void AddRange(IEnumerable<KeyValuePair<string, TextFingerprintSet>> works)
    {
        ArgumentNullException.ThrowIfNull(works);
        var batch = new List<KeyValuePair<string, TextFingerprintSet>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long postings = 0;
        foreach (var work in works)
        {
            Check(work.Key, work.Value);
            if (!seen.Add(work.Key))
            {
                throw new ArgumentException($"work {work.Key} appears twice in one batch", nameof(works));
            }

            batch.Add(work);
            postings += work.Value.Count;
        }

        if (postings > Array.MaxLength)
        {
            throw new ArgumentException($"a batch of {postings} fingerprints is too large for one run; add it in parts", nameof(works));
        }

        var keys = new ulong[postings];
        var values = new uint[postings];
        _lock.EnterWriteLock();
        try
        {
            // Check the room for the batch before changing anything, so a refused batch leaves the index as it was.
            var live = _postings - _deadPostings + postings;
            foreach (var (workId, _) in batch)
            {
                live -= _byId.TryGetValue(workId, out var old) ? _slots[old]!.Count : 0;
            }

            if (live > IdLimit)
            {
                throw new InvalidOperationException($"the text index is full: {live} fingerprints would exceed its {IdLimit}");
            }

            foreach (var (workId, _) in batch)
            {
                RemoveLocked(workId);
            }

            if (_nextId + postings > IdLimit)
            {
                RenumberIds();
            }

            var n = 0;
            foreach (var (workId, set) in batch)
            {
                var slot = _slots.Count;
                var work = new IndexedWork(workId, set, _matchOptions.LshBands);
                var first = (uint)_nextId;
                _slots.Add(work);
                _bases.Add(first);
                _nextId += set.Count;
                _byId[workId] = slot;
                _byContent.Add(work.ContentDigest, slot);
                foreach (var key in work.BandKeys)
                {
                    _bands.Add(key, slot);
                }

                var hashes = set.Hashes;
                for (var i = 0; i < hashes.Length; i++)
                {
                    keys[n] = hashes[i];
                    values[n++] = first + (uint)i;
                }
            }

            if (n > 0)
            {
                _runs.Add(PostingRun.Build(keys, values, n, LiveFilter()));
                MergeRuns();
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes a work; false when the index does not hold it.</summary>
    public bool Remove(string workId)
    {
        ArgumentNullException.ThrowIfNull(workId);
        _lock.EnterWriteLock();
        try
        {
            return RemoveLocked(workId);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Finds the originals a suspect copies from, best first: near-exact copies, and every work
    /// that shares at least one verified passage with the suspect.
    /// </summary>
    /// <exception cref="ArgumentException">The suspect was analysed with other options or another normaliser version.</exception>
    public IReadOnlyList<TextMatch> Match(TextAnalysis suspect)
    {
        ArgumentNullException.ThrowIfNull(suspect);
        CheckCompatible(suspect.Fingerprints, nameof(suspect));
        _lock.EnterReadLock();
        try
        {
            return MatchLocked(suspect);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Whole documents similar to <paramref name="fingerprints"/>, through LSH banding of the MinHash
    /// signatures, with an estimated similarity of at least <paramref name="minSimilarity"/>; most
    /// similar first.
    /// </summary>
    public IReadOnlyList<TextNearDuplicate> FindNearDuplicates(TextFingerprintSet fingerprints, double minSimilarity = 0.5)
    {
        ArgumentNullException.ThrowIfNull(fingerprints);
        if (!(minSimilarity is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(minSimilarity), minSimilarity, "must be between 0 and 1");
        }

        CheckCompatible(fingerprints, nameof(fingerprints));
        _lock.EnterReadLock();
        try
        {
            var result = new List<TextNearDuplicate>();
            foreach (var slot in NearDuplicateSlots(fingerprints))
            {
                var work = _slots[slot]!;
                var sameContent = fingerprints.Statistics.TokenCount > 0 && work.ContentDigest == fingerprints.ContentDigest;
                var similarity = sameContent ? 1 : MinHash.Similarity(fingerprints.Signature, work.Signature);
                if (similarity >= minSimilarity)
                {
                    result.Add(new TextNearDuplicate(work.Id, similarity, sameContent));
                }
            }

            result.Sort(static (a, b) => b.Similarity.CompareTo(a.Similarity));
            return result;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Bytes held by the index structures: posting runs, per-work fingerprint positions and spans,
    /// signatures and the LSH and content maps (an estimate of object overheads included).
    /// </summary>
    public long EstimateMemoryBytes()
    {
        _lock.EnterReadLock();
        try
        {
            long bytes = 0;
            foreach (var run in _runs)
            {
                bytes += run.MemoryBytes;
            }

            foreach (var work in _slots)
            {
                bytes += 12 + (work?.MemoryBytes ?? 0);
            }

            bytes += _bands.MemoryBytes + _byContent.MemoryBytes + (_byId.Count * 32L);
            return bytes;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    private List<TextMatch> MatchLocked(TextAnalysis suspect)
    {
        var set = suspect.Fingerprints;
        var candidates = new Dictionary<int, int>();
        var nearExact = new HashSet<int>();
        if (set.Statistics.TokenCount > 0)
        {
            _byContent.CollectInto(set.ContentDigest, nearExact);
            foreach (var slot in nearExact)
            {
                candidates[slot] = int.MaxValue;
            }
        }

        foreach (var slot in NearDuplicateSlots(set))
        {
            candidates.TryAdd(slot, 0);
        }

        var (hitKeys, hitOrdinals, hitCount) = CollectHits(suspect);
        try
        {
            var hits = hitKeys.AsSpan(0, hitCount);
            var ordinals = hitOrdinals.AsSpan(0, hitCount);
            hits.Sort(ordinals);

            // Group by work; rank by distinct shared fingerprints.
            var groups = new Dictionary<int, (int Start, int Length)>();
            for (var i = 0; i < hits.Length;)
            {
                var slot = (int)(hits[i] >> 32);
                var j = i;
                while (j < hits.Length && (int)(hits[j] >> 32) == slot)
                {
                    j++;
                }

                groups[slot] = (i, j - i);
                var distinct = CountDistinct(ordinals.Slice(i, j - i));
                if (distinct >= _matchOptions.MinSharedFingerprints)
                {
                    candidates[slot] = Math.Max(candidates.GetValueOrDefault(slot), distinct);
                }

                i = j;
            }

            var ranked = candidates.OrderByDescending(static c => c.Value).ThenBy(static c => c.Key).Take(_matchOptions.MaxCandidates);
            var matches = new List<TextMatch>();
            foreach (var (slot, _) in ranked)
            {
                var work = _slots[slot]!;
                var seeds = new List<Seed>();
                if (groups.TryGetValue(slot, out var range))
                {
                    for (var i = range.Start; i < range.Start + range.Length; i++)
                    {
                        seeds.Add(new Seed((int)(uint)hits[i], ordinals[i]));
                    }
                }

                var match = Verify(suspect, work, CollectionsMarshal.AsSpan(seeds), nearExact.Contains(slot));
                if (match is not null)
                {
                    matches.Add(match);
                }
            }

            matches.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(a.WorkId, b.WorkId));
            return matches;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(hitKeys);
            ArrayPool<int>.Shared.Return(hitOrdinals);
        }
    }

    private TextMatch? Verify(TextAnalysis suspect, IndexedWork work, ReadOnlySpan<Seed> seeds, bool nearExact)
    {
        if (nearExact)
        {
            return NearExact(suspect, work);
        }

        var layout = work.Unpack();
        try
        {
            return Verify(suspect, work, layout, seeds);
        }
        finally
        {
            layout.Return();
        }
    }

    private static TextMatch NearExact(TextAnalysis suspect, IndexedWork work)
    {
        var s = suspect.Fingerprints.Statistics;
        var o = work.Statistics;
        var whole = new TextPassage(
            new TextSpan(s.ContentStart, s.ContentEnd - s.ContentStart),
            new TextSpan(o.ContentStart, o.ContentEnd - o.ContentStart),
            work.Count,
            1,
            IsApproximate: false);
        return new TextMatch(work.Id, TextMatchGrade.NearExact, 1, 1, 1, MinHash.Similarity(suspect.Fingerprints.Signature, work.Signature), [whole]);
    }

    private TextMatch? Verify(TextAnalysis suspect, IndexedWork work, WorkLayout layout, ReadOnlySpan<Seed> seeds)
    {
        var set = suspect.Fingerprints;
        var similarity = MinHash.Similarity(set.Signature, work.Signature);
        var s = set.Statistics;
        var o = work.Statistics;
        var passages = PassageAligner.Align(suspect, layout, seeds, _matchOptions, _options.GramUnits);
        if (passages.Count == 0)
        {
            return null;
        }

        var suspectShare = Share(passages, static p => p.Suspect, s);
        var originalShare = Share(passages, static p => p.Original, o);
        var grade = passages.Exists(static p => p.IsApproximate) ? TextMatchGrade.Transformed : TextMatchGrade.Partial;
        return new TextMatch(work.Id, grade, Math.Max(suspectShare, originalShare), suspectShare, originalShare, similarity, passages);
    }

    /// <summary>Share of the text between its first and last token that the passages cover (overlaps counted once).</summary>
    private static double Share(List<TextPassage> passages, Func<TextPassage, TextSpan> side, TextStatistics statistics)
    {
        var content = statistics.ContentEnd - statistics.ContentStart;
        if (content <= 0)
        {
            return 0;
        }

        var spans = passages.Select(side).OrderBy(static x => x.Start).ToList();
        long covered = 0;
        int start = -1, end = -1;
        foreach (var span in spans)
        {
            if (span.Start > end)
            {
                covered += end - start;
                start = span.Start;
                end = span.End;
            }
            else
            {
                end = Math.Max(end, span.End);
            }
        }

        covered += end - start;
        return Math.Clamp((double)covered / content, 0, 1);
    }

    /// <summary>
    /// Looks up every k-gram of the suspect. Returns pooled arrays: hit keys ((slot &lt;&lt; 32) | gram)
    /// and the fingerprint ordinal (within its work) of each hit.
    /// </summary>
    private (ulong[] Keys, int[] Ordinals, int Count) CollectHits(TextAnalysis suspect)
    {
        var pool = ArrayPool<ulong>.Shared;
        var keys = pool.Rent(Math.Max(256, suspect.GramCount * 2));
        var ordinals = ArrayPool<int>.Shared.Rent(keys.Length);
        var count = 0;
        var grams = suspect.GramHashes;
        var runs = _runs;
        for (var g = 0; g < grams.Length; g++)
        {
            var total = 0;
            for (var r = 0; r < runs.Count; r++)
            {
                var postings = runs[r].Find(grams[g]);
                total += postings.Length;
                if (total > _matchOptions.MaxPostingsPerHash)
                {
                    break;
                }
            }

            if (total == 0 || total > _matchOptions.MaxPostingsPerHash)
            {
                continue;
            }

            if (count + total > _matchOptions.MaxHits)
            {
                break;
            }

            if (count + total > keys.Length)
            {
                (keys, ordinals) = Grow(keys, ordinals, count + total);
            }

            for (var r = 0; r < runs.Count; r++)
            {
                foreach (var id in runs[r].Find(grams[g]))
                {
                    var slot = SlotOf(id);
                    if (_slots[slot] is null)
                    {
                        continue;
                    }

                    keys[count] = ((ulong)(uint)slot << 32) | (uint)g;
                    ordinals[count++] = (int)(id - _bases[slot]);
                }
            }
        }

        return (keys, ordinals, count);
    }

    private static (ulong[], int[]) Grow(ulong[] keys, int[] ordinals, int needed)
    {
        var size = Math.Max(needed, keys.Length * 2);
        var newKeys = ArrayPool<ulong>.Shared.Rent(size);
        var newOrdinals = ArrayPool<int>.Shared.Rent(size);
        keys.AsSpan().CopyTo(newKeys);
        ordinals.AsSpan(0, keys.Length).CopyTo(newOrdinals);
        ArrayPool<ulong>.Shared.Return(keys);
        ArrayPool<int>.Shared.Return(ordinals);
        return (newKeys, newOrdinals);
    }

    private static int CountDistinct(ReadOnlySpan<int> values)
    {
        if (values.Length <= 1)
        {
            return values.Length;
        }

        var copy = values.Length <= 512 ? stackalloc int[values.Length] : new int[values.Length];
        values.CopyTo(copy);
        copy.Sort();
        var distinct = 1;
        for (var i = 1; i < copy.Length; i++)
        {
            if (copy[i] != copy[i - 1])
            {
                distinct++;
            }
        }

        return distinct;
    }

    private HashSet<int> NearDuplicateSlots(TextFingerprintSet set)
    {
        var slots = new HashSet<int>();
        if (set.Signature.IsEmpty)
        {
            return slots;
        }

        Span<ulong> keys = stackalloc ulong[_matchOptions.LshBands];
        MinHash.BandKeys(set.Signature, _matchOptions.LshBands, keys);
        foreach (var key in keys)
        {
            _bands.CollectInto(key, slots);
        }

        return slots;
    }

    private bool RemoveLocked(string workId)
    {
        if (!_byId.Remove(workId, out var slot))
        {
            return false;
        }

        var work = _slots[slot]!;
        _slots[slot] = null;
        _deadPostings += work.Count;
        _byContent.Remove(work.ContentDigest, slot);
        foreach (var key in work.BandKeys)
        {
            _bands.Remove(key, slot);
        }

        if (_deadPostings * 4 > _postings)
        {
            Compact();
        }

        return true;
    }

    /// <summary>Merges neighbouring runs while the newer is at least half the size of the older.</summary>
    private void MergeRuns()
    {
        while (_runs.Count >= 2 && _runs[^2].Count <= 2 * _runs[^1].Count)
        {
            var merged = PostingRun.Merge(_runs[^2], _runs[^1], LiveFilter());
            _runs.RemoveAt(_runs.Count - 1);
            _runs[^1] = merged;
        }

        RecountPostings();
    }

    /// <summary>Merges every run into one without the dead postings, and rebuilds the LSH bands.</summary>
    private void Compact()
    {
        var live = LiveFilter();
        while (_runs.Count >= 2)
        {
            var merged = PostingRun.Merge(_runs[^2], _runs[^1], live);
            _runs.RemoveAt(_runs.Count - 1);
            _runs[^1] = merged;
        }

        if (_runs.Count == 1 && live is not null)
        {
            _runs[0] = PostingRun.Merge(_runs[0], new PostingRun([], [], 0), live);
        }

        RecountPostings();
    }

    /// <summary>
    /// Hands out ids afresh, densely, to the live works (ids are never reused otherwise, so a
    /// long-lived index that adds and removes a lot eventually runs out of 32-bit ids).
    /// </summary>
    private void RenumberIds()
    {
        var oldBases = _bases.ToArray();
        long next = 0;
        for (var slot = 0; slot < _slots.Count; slot++)
        {
            _bases[slot] = (uint)next;
            next += _slots[slot]?.Count ?? 0;
        }

        for (var r = 0; r < _runs.Count; r++)
        {
            _runs[r] = _runs[r].Renumber(id =>
            {
                var slot = UpperBound(oldBases, id) - 1;
                return _slots[slot] is null ? null : _bases[slot] + (id - oldBases[slot]);
            });
        }

        _nextId = next;
        RecountPostings();
    }

    /// <summary>Merges drop dead postings, so the totals are recounted from the runs and the live works.</summary>
    private void RecountPostings()
    {
        long total = 0;
        foreach (var run in _runs)
        {
            total += run.Count;
        }

        long live = 0;
        foreach (var work in _slots)
        {
            live += work?.Count ?? 0;
        }

        _postings = total;
        _deadPostings = total - live;
    }

    /// <summary>A filter for merges that drops postings of removed works; null when nothing is dead.</summary>
    private Func<uint, bool>? LiveFilter() => _deadPostings == 0 && _slots.Count == _byId.Count ? null : id => _slots[SlotOf(id)] is not null;

    /// <summary>The slot owning fingerprint id <paramref name="id"/>: the last slot whose first id is at most it.</summary>
    private int SlotOf(uint id) => UpperBound(CollectionsMarshal.AsSpan(_bases), id) - 1;

    private static int UpperBound(ReadOnlySpan<uint> sorted, uint value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private void Check(string workId, TextFingerprintSet set)
    {
        ArgumentException.ThrowIfNullOrEmpty(workId);
        ArgumentNullException.ThrowIfNull(set);
        CheckCompatible(set, nameof(set));
    }

    private void CheckCompatible(TextFingerprintSet set, string parameter)
    {
        if (set.NormalizerVersion != TextNormalizer.Version)
        {
            throw new ArgumentException($"fingerprints made with normaliser version {set.NormalizerVersion} cannot join an index of version {TextNormalizer.Version}; fingerprint the text again", parameter);
        }

        if (set.Options != _options)
        {
            throw new ArgumentException($"fingerprints made with {set.Options} cannot join an index made with {_options}; fingerprint the text again", parameter);
        }
    }
}

/// <summary>
/// What the index keeps of one work besides its postings: sizes, digest, signature, and the
/// positions and source spans of its fingerprints packed as varint deltas (about three bytes a
/// fingerprint instead of twelve), unpacked only when the work is verified as a candidate.
/// </summary>
internal sealed class IndexedWork
{
    private readonly byte[] _packed;

    public IndexedWork(string id, TextFingerprintSet set, int bands)
    {
        Id = id;
        Count = set.Count;
        Statistics = set.Statistics;
        ContentDigest = set.ContentDigest;
        Signature = set.Signature.ToArray();
        BandKeys = new ulong[Signature.Length == 0 ? 0 : bands];
        if (Signature.Length > 0)
        {
            MinHash.BandKeys(Signature, bands, BandKeys);
        }

        var positions = set.Positions;
        var starts = set.SourceStarts;
        var lengths = set.SourceLengths;
        var buffer = new byte[Count * 3 * Varint.MaxBytes];
        var n = 0;
        int position = 0, start = 0;
        for (var i = 0; i < Count; i++)
        {
            n = Varint.Write(buffer, n, (uint)(positions[i] - position));
            n = Varint.Write(buffer, n, (uint)(starts[i] - start));
            n = Varint.Write(buffer, n, (uint)lengths[i]);
            position = positions[i];
            start = starts[i];
        }

        _packed = buffer.AsSpan(0, n).ToArray();
    }

    public string Id { get; }

    public int Count { get; }

    public TextStatistics Statistics { get; }

    public UInt128 ContentDigest { get; }

    public uint[] Signature { get; }

    public ulong[] BandKeys { get; }

    public long MemoryBytes => 160 + (2L * Id.Length) + _packed.Length + (4L * Signature.Length) + (8L * BandKeys.Length);

    /// <summary>The fingerprints' positions and spans, in pooled arrays; give them back with <see cref="WorkLayout.Return"/>.</summary>
    public WorkLayout Unpack()
    {
        var layout = WorkLayout.Rent(Count);
        int offset = 0, position = 0, start = 0;
        for (var i = 0; i < Count; i++)
        {
            position += (int)Varint.Read(_packed, ref offset);
            start += (int)Varint.Read(_packed, ref offset);
            layout.Positions[i] = position;
            layout.SourceStarts[i] = start;
            layout.SourceLengths[i] = (int)Varint.Read(_packed, ref offset);
        }

        return layout;
    }
}

/// <summary>A work's fingerprint positions and source spans, unpacked into pooled arrays for verification.</summary>
internal sealed class WorkLayout
{
    private WorkLayout(int count)
    {
        Positions = ArrayPool<int>.Shared.Rent(count);
        SourceStarts = ArrayPool<int>.Shared.Rent(count);
        SourceLengths = ArrayPool<int>.Shared.Rent(count);
    }

    public int[] Positions { get; }

    public int[] SourceStarts { get; }

    public int[] SourceLengths { get; }

    public static WorkLayout Rent(int count) => new(count);

    public void Return()
    {
        ArrayPool<int>.Shared.Return(Positions);
        ArrayPool<int>.Shared.Return(SourceStarts);
        ArrayPool<int>.Shared.Return(SourceLengths);
    }
}
