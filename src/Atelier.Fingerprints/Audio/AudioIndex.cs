namespace Atelier.Fingerprints.Audio;

/// <summary>
/// An inverted index from landmark hashes to (work, time), with offset voting to verify candidates
/// (Wang 2003, §2.3: true matches line up on one time offset; here on a line t_orig = a + s·t_query whose
/// slope s is the speed factor, as in Six and Leman 2014, §2.3). Thread-safe: adds and removes take a write
/// lock, matches a read lock.
/// </summary>
/// <remarks>
/// Postings are 8-byte words: the anchor's time on one global timeline where every work has its own
/// stretch (34 bits: 8,700 years of audio at 16 ms), the anchor's bin (8), the triplet's span Δt13 (7) and
/// 15 bits of the key (bits 33..47). A segment's buckets are the top 16 to 24 bits of the key, more for a
/// bigger segment (about sixteen postings a bucket), laid out as one offsets table and one postings array;
/// the kept bits below a segment's bucket bits are the tag that tells apart keys sharing a bucket, and
/// the kept bits within them let a merge re-bucket postings into a bigger table. A work added alone makes a small segment; segments of similar size merge (a binary counter),
/// so there are few of them, and removed works are dropped from a segment when it merges or when a
/// quarter of the index has been removed.
/// </remarks>
public sealed class AudioIndex : IDisposable
{
    /// <summary>Key bits a posting keeps (bits 33..47), from which any segment's bucket and tag derive.</summary>
    private const int ExtensionBits = 15;
    private const int MinBucketBits = 16;
    private const int MaxBucketBits = 24;
    private const int WorkGapFrames = 1024;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, WorkSpan> _works = new(StringComparer.Ordinal);
    private readonly List<WorkSpan> _timeline = [];
    private readonly List<Segment> _segments = [];
    private long _nextBase;
    private long _removedFrames;
    private long _liveFrames;

    /// <summary>Number of works indexed.</summary>
    public int Count => _lock.Read(() => _works.Count);

    /// <summary>Seconds of audio indexed.</summary>
    public double IndexedSeconds => _lock.Read(() => _liveFrames * AudioFingerprinter.HopSeconds);

    /// <summary>Bytes the index holds in memory (postings, bucket tables and the work table).</summary>
    public long MemoryBytes => _lock.Read(() => ((long)_timeline.Count * 64) + _segments.Sum(s => (s.Postings.Length * 8L) + (s.Offsets.Length * 4L)));

    /// <summary>Number of postings (hashes) held, removed works' ones included until they are compacted away.</summary>
    public long Postings => _lock.Read(() => _segments.Sum(s => (long)s.Postings.Length));

    /// <summary>Adds (or replaces) a work.</summary>
    public void Add(string workId, AudioFingerprint fingerprint) => AddRange([new(workId, fingerprint)]);

    /// <summary>Adds many works at once (faster than one by one: they share one segment).</summary>
    public void AddRange(IEnumerable<KeyValuePair<string, AudioFingerprint>> works)
    {
        ArgumentNullException.ThrowIfNull(works);

        // Hashing happens outside the lock; only placing the postings needs it.
        var batch = new List<(string Id, int Frames, List<Landmarks.Triplet> Triplets)>();
        foreach (var (id, fp) in works)
        {
            ArgumentNullException.ThrowIfNull(id);
            ArgumentNullException.ThrowIfNull(fp);
            batch.Add((id, fp.FrameCount, Landmarks.ForIndex(fp.Peaks)));
        }

        if (batch.Count == 0)
        {
            return;
        }

        _lock.EnterWriteLock();
        try
        {
            var postings = new List<(ulong Key, ulong Posting)>(batch.Sum(b => b.Triplets.Count));
            foreach (var (id, frames, triplets) in batch)
            {
                RemoveLocked(id);
                var span = new WorkSpan(id, _nextBase, Math.Max(frames, 1));
                _nextBase += span.Frames + WorkGapFrames;
                _works[id] = span;
                _timeline.Add(span);
                _liveFrames += span.Frames;
                foreach (var t in triplets)
                {
                    postings.Add((t.Key, Posting(span.Base + t.T1, t.F1, t.Dt13, t.Key)));
                }
            }

            _segments.Add(Segment.Build(postings));
            MergeSegments();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes a work; unknown ids are ignored.</summary>
    public void Remove(string workId)
    {
        ArgumentNullException.ThrowIfNull(workId);
        _lock.EnterWriteLock();
        try
        {
            RemoveLocked(workId);
            if (_removedFrames > 0 && _removedFrames * 3 > _liveFrames)
            {
                Compact();
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Merges every segment into one, dropping removed works. Each segment costs a query one more bucket to
    /// read for every key it looks up, and segments grow by doubling, so an index loaded in batches is left
    /// with several large ones: call this once loading is done. It needs memory for a second copy of the
    /// postings while it runs, and holds the write lock.
    /// </summary>
    public void Optimize()
    {
        _lock.EnterWriteLock();
        try
        {
            if (_segments.Count > 1 || _removedFrames > 0)
            {
                Compact();
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The works a short query (up to a minute or so) contains, best first.</summary>
    public IReadOnlyList<AudioMatch> Match(AudioFingerprint query, AudioMatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        options ??= AudioMatchOptions.Default;
        return _lock.Read(() => Voting.Match(this, query, options));
    }

    /// <summary>
    /// Scans a long query (a mix, a broadcast) in overlapping segments and returns its timeline: which
    /// work plays from when to when in the query, in query order. Consecutive segments that agree on
    /// the work and alignment are merged into one entry.
    /// </summary>
    public IReadOnlyList<AudioMatch> Scan(AudioFingerprint query, AudioMatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        options ??= AudioMatchOptions.Default;
        if (options.SegmentSeconds <= 0 || options.SegmentStepSeconds <= 0 || options.SegmentStepSeconds > options.SegmentSeconds)
        {
            throw new ArgumentException("segments need a positive length and a step no longer than it", nameof(options));
        }

        var found = new List<AudioMatch>();
        var step = options.SegmentStepSeconds;
        for (var start = 0.0; start == 0 || start + options.SegmentSeconds - step < query.DurationSeconds; start += step)
        {
            var segment = query.Slice(start, start + options.SegmentSeconds);
            foreach (var m in Match(segment, options))
            {
                found.Add(m with { QueryStart = m.QueryStart + start });
            }
        }

        return Voting.MergeTimeline(found, step);
    }

    /// <inheritdoc/>
    public void Dispose() => _lock.Dispose();

    /// <summary>A posting: time from bit 30, the anchor's bin in bits 22-29, Δt13 in bits 15-21, then the key's extension.</summary>
    internal static ulong Posting(long time, float bin, int dt13, ulong key) =>
        ((ulong)time << 30) | ((ulong)Math.Clamp((int)MathF.Round(bin), 0, 255) << 22) | ((ulong)dt13 << 15) | Extension(key);

    internal static long TimeOf(ulong posting) => (long)(posting >> 30);

    internal static int BinOf(ulong posting) => (int)((posting >> 22) & 0xFF);

    internal static int DtOf(ulong posting) => (int)((posting >> 15) & 0x7F);

    private static ulong Extension(ulong key) => (key >> 33) & ((1UL << ExtensionBits) - 1);

    internal IReadOnlyList<Segment> Segments => _segments;

    /// <summary>The live work whose stretch of the global timeline holds <paramref name="time"/>, or null.</summary>
    internal WorkSpan? WorkAt(long time)
    {
        int lo = 0, hi = _timeline.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var w = _timeline[mid];
            if (time < w.Base)
            {
                hi = mid - 1;
            }
            else if (time >= w.Base + w.Frames)
            {
                lo = mid + 1;
            }
            else
            {
                return w.Removed ? null : w;
            }
        }

        return null;
    }

    private void RemoveLocked(string id)
    {
        if (_works.Remove(id, out var span))
        {
            span.Removed = true;
            _removedFrames += span.Frames;
            _liveFrames -= span.Frames;
        }
    }

    private void MergeSegments()
    {
        while (_segments.Count >= 2 && _segments[^1].Postings.Length * 2 >= _segments[^2].Postings.Length)
        {
            var merged = Segment.Merge([_segments[^2], _segments[^1]], _removedFrames > 0 ? Live : null);
            _segments.RemoveRange(_segments.Count - 2, 2);
            _segments.Add(merged);
        }
    }

    private void Compact()
    {
        // One merge of every segment: the postings are copied once, and removed works' ones dropped.
        var merged = Segment.Merge(_segments, _removedFrames > 0 ? Live : null);
        _segments.Clear();
        _segments.Add(merged);
        _timeline.RemoveAll(w => w.Removed);
        _removedFrames = 0;
    }

    private bool Live(ulong posting) => WorkAt(TimeOf(posting)) is not null;

    internal sealed class WorkSpan(string id, long @base, int frames)
    {
        public string Id { get; } = id;
        public long Base { get; } = @base;
        public int Frames { get; } = frames;
        public bool Removed { get; set; }
    }

    /// <summary>One immutable block of postings, grouped by bucket.</summary>
    internal sealed class Segment
    {
        private Segment(int bits, int[] offsets, ulong[] postings)
        {
            Bits = bits;
            Offsets = offsets;
            Postings = postings;
            TagMask = (1UL << (31 - bits)) - 1;
        }

        public int Bits { get; }
        public int[] Offsets { get; }
        public ulong[] Postings { get; }

        /// <summary>The posting bits below the bucket bits: equal for a key's postings.</summary>
        public ulong TagMask { get; }

        /// <summary>The bucket of <paramref name="key"/>: its postings lie in Postings[Offsets[b]..Offsets[b + 1]].</summary>
        public int Bucket(ulong key) => (int)(key >> (64 - Bits));

        public ulong Tag(ulong key) => Extension(key) & TagMask;

        public static Segment Build(List<(ulong Key, ulong Posting)> items)
        {
            var bits = BitsFor(items.Count);
            var offsets = new int[(1 << bits) + 1];
            foreach (var (key, _) in items)
            {
                offsets[(int)(key >> (64 - bits)) + 1]++;
            }

            for (var i = 1; i < offsets.Length; i++)
            {
                offsets[i] += offsets[i - 1];
            }

            var postings = new ulong[items.Count];
            var fill = offsets.AsSpan(0, offsets.Length - 1).ToArray();
            foreach (var (key, posting) in items)
            {
                postings[fill[(int)(key >> (64 - bits))]++] = posting;
            }

            return new Segment(bits, offsets, postings);
        }

        /// <summary>
        /// Merges segments into one sized for them all, dropping postings <paramref name="keep"/> refuses
        /// (none when it is null: no work has been removed).
        /// </summary>
        public static Segment Merge(IReadOnlyList<Segment> sources, Func<ulong, bool>? keep)
        {
            var total = sources.Sum(s => (long)s.Postings.Length);
            if (total > Array.MaxLength)
            {
                throw new InvalidOperationException($"an audio index segment holds at most {Array.MaxLength} postings");
            }

            var bits = BitsFor(total);
            var offsets = new int[(1 << bits) + 1];
            var live = keep is null ? null : new bool[total];
            var count = 0;
            for (var pass = 0; pass < 2; pass++)
            {
                var fill = pass == 0 ? null : offsets.AsSpan(0, offsets.Length - 1).ToArray();
                var postings = pass == 0 ? null : new ulong[count];
                var at = 0;
                foreach (var s in sources)
                {
                    for (var bucket = 0; bucket < s.Offsets.Length - 1; bucket++)
                    {
                        // Top 31 key bits: the top 16 from the source bucket, the rest from the posting.
                        var top16 = (ulong)bucket >> (s.Bits - MinBucketBits);
                        for (var i = s.Offsets[bucket]; i < s.Offsets[bucket + 1]; i++, at++)
                        {
                            var posting = s.Postings[i];
                            if (live is not null)
                            {
                                if (pass == 0)
                                {
                                    live[at] = keep!(posting);
                                }

                                if (!live[at])
                                {
                                    continue;
                                }
                            }

                            var top31 = (top16 << ExtensionBits) | (posting & ((1UL << ExtensionBits) - 1));
                            var target = (int)(top31 >> (31 - bits));
                            if (pass == 0)
                            {
                                offsets[target + 1]++;
                                count++;
                            }
                            else
                            {
                                postings![fill![target]++] = posting;
                            }
                        }
                    }
                }

                if (pass == 0)
                {
                    for (var i = 1; i < offsets.Length; i++)
                    {
                        offsets[i] += offsets[i - 1];
                    }
                }
                else
                {
                    return new Segment(bits, offsets, postings!);
                }
            }

            throw new InvalidOperationException("unreachable");
        }

        private static int BitsFor(long postings) =>
            Math.Clamp(64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)Math.Max(1, postings / 16)), MinBucketBits, MaxBucketBits);
    }
}
