using System.Buffers;

namespace Atelier.Fingerprints.Audio;

/// <summary>
/// Verifies candidates by voting (Wang 2003, §2.3; Six and Leman 2014, §2.3): every posting that a query
/// triplet finds is a hit pairing a query time with an original time. Hits of a true match lie on one line
/// t_orig = a + s·t_query (s the speed factor) and share one frequency shift (the pitch factor); random hits
/// scatter. Coarse offset bins find the candidates, a search over s then finds the line, and the hits on it
/// (the inliers) are the evidence.
/// </summary>
internal static class Voting
{
    private const float MaxSpeedChange = Landmarks.MaxSpeedChange;

    /// <summary>Widest pitch shift accepted, in log bins (2⅔ semitones, past the 2 the issue asks for).</summary>
    private const int MaxShiftBins = 8;

    private const int CoarseShift = 5;
    private const int MaxCandidates = 24;
    private const float SpeedStep = 0.0025f;
    private const float InlierFrames = 2.5f;
    private const float InlierShiftBins = 1.6f;

    /// <summary>
    /// Inliers at which the score of an alignment at the original's own speed and pitch reaches one half
    /// (the default threshold). Unrelated music reached 6 at most on the dev corpus, true matches of 5 s
    /// excerpts in 0 dB noise mostly 9 or more.
    /// </summary>
    private const double HalfScoreInliers = 10;

    /// <summary>
    /// The same for a transformed alignment: searching 65 speeds and 19 pitch shifts gives chance more
    /// ways to line up, and unrelated music reached 18; true speed, tempo and pitch matches had 29 or more.
    /// </summary>
    private const double HalfScoreInliersTransformed = 24;

    internal readonly record struct Hit(int Tq, long Tr, short Shift, byte DtQ, byte DtR);

    /// <summary>
    /// Matches in two passes: a quick one with triplets drawn like the index's, which finds clean and
    /// mildly degraded copies at a fraction of the lookups, and the dense one only when that finds nothing.
    /// </summary>
    public static IReadOnlyList<AudioMatch> Match(AudioIndex index, AudioFingerprint query, AudioMatchOptions options)
    {
        // The quick answer stands only when it is confident by the default threshold, whatever a caller
        // asked for: a caller lowering MinScore to see weak candidates still gets the dense search.
        var quick = Search(index, query, dense: false, options);
        var confident = Math.Max(options.MinScore, AudioMatchOptions.Default.MinScore);
        return quick.Any(m => m.Score >= confident) ? quick : Search(index, query, dense: true, options);
    }

    private static List<AudioMatch> Search(AudioIndex index, AudioFingerprint query, bool dense, AudioMatchOptions options)
    {
        var hits = new PooledBuffer<Hit>();
        ulong[]? keyed = null;
        ulong[]? scratch = null;
        try
        {
            Collect(index, query.Peaks, dense, hits);
            var count = hits.Count;
            keyed = ArrayPool<ulong>.Shared.Rent(Math.Max(1, count));
            scratch = ArrayPool<ulong>.Shared.Rent(Math.Max(1, count));

            // Each hit keyed by its coarse offset bin (high 32 bits) and its place (low 32), sorted by bin; the
            // sort is stable, so a bin's hits keep the order they were found in.
            var items = hits.Items;
            for (var i = 0; i < count; i++)
            {
                keyed[i] = ((ulong)Bin(items[i]) << 32) | (uint)i;
            }

            var sorted = SortByBin(keyed.AsSpan(0, count), scratch.AsSpan(0, count));
            var chosen = Candidates(sorted);

            var results = new List<(AudioMatch Match, AudioIndex.WorkSpan Work)>();
            var near = new List<Hit>();
            foreach (var bin in chosen)
            {
                // The hits of the bin and its two neighbours either side, in the order they were found.
                near.Clear();
                var from = LowerBound(sorted, bin - 2);
                var to = LowerBound(sorted, bin + 3);
                var places = new int[to - from];
                for (var i = from; i < to; i++)
                {
                    places[i - from] = (int)(uint)sorted[i];
                }

                Array.Sort(places);
                foreach (var place in places)
                {
                    near.Add(items[place]);
                }

                if (Verify(index, near, bin - (BinBias >> CoarseShift), query.FrameCount) is { } found && found.Match.Score >= options.MinScore)
                {
                    results.Add(found);
                }
            }

            return
            [
                .. results
                    .GroupBy(r => r.Work)
                    .Select(g => g.MaxBy(r => r.Match.MatchedHashes).Match)
                    .OrderByDescending(m => m.Score)
                    .ThenByDescending(m => m.MatchedHashes)
                    .Take(options.MaxResults),
            ];
        }
        finally
        {
            hits.Return();
            if (keyed is not null)
            {
                ArrayPool<ulong>.Shared.Return(keyed);
            }

            if (scratch is not null)
            {
                ArrayPool<ulong>.Shared.Return(scratch);
            }
        }
    }

    /// <summary>
    /// The coarse offset bin of a hit, t_orig - t_query in steps of 2^<see cref="CoarseShift"/> frames, made
    /// non-negative (a hit near the start of the first work may have t_orig &lt; t_query) and so below 2^30.
    /// </summary>
    private static uint Bin(Hit h) => (uint)((h.Tr - h.Tq + BinBias) >> CoarseShift);

    /// <summary>Frames added to every offset before binning; a multiple of the bin width.</summary>
    private const long BinBias = 1L << 24;

    /// <summary>
    /// Candidate bins, best first: bins with two votes or more, ranked by their votes plus their neighbours'
    /// (a speed change spreads a match's hits over adjacent bins), ties to the lower bin; of the best
    /// <see cref="MaxCandidates"/>·3, those at least three bins from a better one, up to <see cref="MaxCandidates"/>.
    /// </summary>
    private static List<long> Candidates(ReadOnlySpan<ulong> sorted)
    {
        // The runs of equal bins in the sorted keys, walked with the one before and the one after in view.
        var keep = MaxCandidates * 3;
        var heap = new PriorityQueue<(long Bin, int Score), (int Score, long Bin)>(keep + 1, WorstFirst.Instance);
        (long Bin, int Votes) previous = (long.MinValue, 0);
        var current = NextRun(sorted, 0);
        while (current.Votes > 0)
        {
            var next = NextRun(sorted, current.End);
            if (current.Votes >= 2)
            {
                var score = current.Votes
                    + (previous.Bin == current.Bin - 1 ? previous.Votes : 0)
                    + (next.Votes > 0 && next.Bin == current.Bin + 1 ? next.Votes : 0);
                heap.Enqueue((current.Bin, score), (score, current.Bin));
                if (heap.Count > keep)
                {
                    heap.Dequeue();
                }
            }

            previous = (current.Bin, current.Votes);
            current = next;
        }

        var ranked = new List<(long Bin, int Score)>(heap.Count);
        while (heap.TryDequeue(out var c, out _))
        {
            ranked.Add(c);
        }

        ranked.Reverse();
        var chosen = new List<long>();
        foreach (var (bin, _) in ranked)
        {
            if (chosen.Count < MaxCandidates && !chosen.Any(c => Math.Abs(c - bin) <= 2))
            {
                chosen.Add(bin);
            }
        }

        return chosen;
    }

    /// <summary>The run of equal bins starting at <paramref name="start"/>: its bin, length and end (no votes past the end).</summary>
    private static (long Bin, int Votes, int End) NextRun(ReadOnlySpan<ulong> sorted, int start)
    {
        if (start >= sorted.Length)
        {
            return (0, 0, start);
        }

        var bin = sorted[start] >> 32;
        var end = start + 1;
        while (end < sorted.Length && sorted[end] >> 32 == bin)
        {
            end++;
        }

        return ((long)bin, end - start, end);
    }

    /// <summary>Orders the heap so its root is the worst candidate: lowest score, then highest bin.</summary>
    private sealed class WorstFirst : IComparer<(int Score, long Bin)>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare((int Score, long Bin) x, (int Score, long Bin) y) =>
            x.Score != y.Score ? x.Score.CompareTo(y.Score) : y.Bin.CompareTo(x.Bin);
    }

    /// <summary>
    /// Stable least-significant-digit radix sort of the keys by their high 32 bits (bins are below 2^30:
    /// two passes of 15 bits). Returns whichever of the two spans holds the result.
    /// </summary>
    private static Span<ulong> SortByBin(Span<ulong> keys, Span<ulong> scratch)
    {
        const int Bits = 15;
        var rented = ArrayPool<int>.Shared.Rent(1 << Bits);
        var counts = rented.AsSpan(0, 1 << Bits);
        var source = keys;
        var target = scratch;
        for (var shift = 32; shift < 32 + (2 * Bits); shift += Bits)
        {
            counts.Clear();
            foreach (var k in source)
            {
                counts[(int)(k >> shift) & ((1 << Bits) - 1)]++;
            }

            var total = 0;
            for (var d = 0; d < counts.Length; d++)
            {
                (counts[d], total) = (total, total + counts[d]);
            }

            foreach (var k in source)
            {
                target[counts[(int)(k >> shift) & ((1 << Bits) - 1)]++] = k;
            }

            var swap = source;
            source = target;
            target = swap;
        }

        ArrayPool<int>.Shared.Return(rented);
        return source;
    }

    /// <summary>The first place in <paramref name="sorted"/> whose bin is at least <paramref name="bin"/>.</summary>
    private static int LowerBound(ReadOnlySpan<ulong> sorted, long bin)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if ((long)(sorted[mid] >> 32) < bin)
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

    /// <summary>
    /// Looks up every probe of the query in every segment. At a thousand hours a probe's bucket is almost
    /// never in cache, so the probes go in chunks: first every bucket's bounds, then the first posting of
    /// each, loads that do not wait on one another and so overlap, then the scans, which find their data
    /// loaded. Hits come out in probe order, then segment, then posting, as a plain loop would give them.
    /// </summary>
    private static void Collect(AudioIndex index, ReadOnlySpan<SpectralPeak> peaks, bool dense, PooledBuffer<Hit> hits)
    {
        var segments = index.Segments;
        var probes = new PooledBuffer<Landmarks.Triplet>();
        try
        {
            Landmarks.ForQuery(peaks, dense, probes.Add);
            var count = probes.Count;
            var parts = count >= ParallelProbes ? Math.Clamp(Environment.ProcessorCount, 1, 4) : 1;
            if (parts == 1)
            {
                Lookup(segments, probes.Items.AsSpan(0, count), hits);
                return;
            }

            // A dense search at a thousand hours spends most of its time waiting on memory: shares of the
            // probes on several cores answer sooner. Each share's hits are appended in probe order.
            var items = probes.Items;
            var shares = new PooledBuffer<Hit>[parts];
            try
            {
                Parallel.For(0, parts, p =>
                {
                    shares[p] = new PooledBuffer<Hit>();
                    var from = (int)((long)count * p / parts);
                    var to = (int)((long)count * (p + 1) / parts);
                    Lookup(segments, items.AsSpan(from, to - from), shares[p]);
                });
                foreach (var share in shares)
                {
                    hits.AddRange(share.Items.AsSpan(0, share.Count));
                }
            }
            finally
            {
                foreach (var share in shares)
                {
                    share?.Return();
                }
            }
        }
        finally
        {
            probes.Return();
        }
    }

    /// <summary>Probes from which a search looks its keys up on several cores (a dense pass over a few seconds or more).</summary>
    private const int ParallelProbes = 16_384;

    private static void Lookup(IReadOnlyList<AudioIndex.Segment> segments, ReadOnlySpan<Landmarks.Triplet> probeSpan, PooledBuffer<Hit> hits)
    {
        const int Chunk = 64;
        var bounds = new int[segments.Count * Chunk * 2];
        for (var c = 0; c < probeSpan.Length; c += Chunk)
        {
            var chunk = probeSpan.Slice(c, Math.Min(Chunk, probeSpan.Length - c));
            ulong touched = 0;
            for (var s = 0; s < segments.Count; s++)
            {
                var offsets = segments[s].Offsets;
                var at = s * Chunk * 2;
                for (var j = 0; j < chunk.Length; j++)
                {
                    var b = segments[s].Bucket(chunk[j].Key);
                    bounds[at + (2 * j)] = offsets[b];
                    bounds[at + (2 * j) + 1] = offsets[b + 1];
                }

                var postings = segments[s].Postings;
                for (var j = 0; j < chunk.Length; j++)
                {
                    var first = bounds[at + (2 * j)];
                    if (first < bounds[at + (2 * j) + 1])
                    {
                        touched ^= postings[first];
                    }
                }
            }

            GC.KeepAlive(touched);
            for (var j = 0; j < chunk.Length; j++)
            {
                var t = chunk[j];
                var f1 = (int)MathF.Round(t.F1);
                var dtMin = ((1 - MaxSpeedChange) * t.Dt13) - 1;
                var dtMax = ((1 + MaxSpeedChange) * t.Dt13) + 1;
                for (var s = 0; s < segments.Count; s++)
                {
                    var segment = segments[s];
                    var tag = segment.Tag(t.Key);
                    var mask = segment.TagMask;
                    var at = (s * Chunk * 2) + (2 * j);
                    foreach (var posting in segment.Postings.AsSpan(bounds[at], bounds[at + 1] - bounds[at]))
                    {
                        if ((posting & mask) != tag)
                        {
                            continue;
                        }

                        var pitchShift = f1 - AudioIndex.BinOf(posting);
                        var dt = AudioIndex.DtOf(posting);
                        if (pitchShift < -MaxShiftBins || pitchShift > MaxShiftBins || dt < dtMin || dt > dtMax)
                        {
                            continue;
                        }

                        hits.Add(new Hit(t.T1, AudioIndex.TimeOf(posting), (short)pitchShift, (byte)t.Dt13, (byte)dt));
                    }
                }
            }
        }
    }

    /// <summary>
    /// A growing list in pooled arrays, for the probes and hits of one search: a dense search at a thousand
    /// hours makes hundreds of thousands of probes and finds a million hits or more, and fresh arrays of that
    /// size per query cost the kernel more in zeroed pages than the search itself.
    /// </summary>
    private sealed class PooledBuffer<T>
    {
        public T[] Items { get; private set; } = ArrayPool<T>.Shared.Rent(4096);

        public int Count { get; private set; }

        public void Add(T item)
        {
            Reserve(1);
            Items[Count++] = item;
        }

        public void AddRange(ReadOnlySpan<T> items)
        {
            Reserve(items.Length);
            items.CopyTo(Items.AsSpan(Count));
            Count += items.Length;
        }

        /// <summary>Makes room for <paramref name="more"/> items, at least doubling the array.</summary>
        private void Reserve(int more)
        {
            if (Count + more <= Items.Length)
            {
                return;
            }

            var bigger = ArrayPool<T>.Shared.Rent(Math.Max(Items.Length * 2, Count + more));
            Items.AsSpan(0, Count).CopyTo(bigger);
            ArrayPool<T>.Shared.Return(Items);
            Items = bigger;
        }

        public void Return()
        {
            ArrayPool<T>.Shared.Return(Items);
            Items = [];
            Count = 0;
        }
    }

    private static (AudioMatch Match, AudioIndex.WorkSpan Work)? Verify(AudioIndex index, List<Hit> near, long bin, int queryFrames)
    {
        if (near.Count < 3)
        {
            return null;
        }

        // Line search: for each speed s, the densest offset a = t_orig - s·t_query. Hits of this bin
        // and its neighbours have t_orig - t_query in [(bin - 2)·32, (bin + 3)·32); a speed change moves a
        // by at most MaxSpeedChange·t_query more.
        var margin = (int)(MaxSpeedChange * Math.Max(queryFrames, 64)) + 4;
        var origin = ((bin - 2) << CoarseShift) - margin;
        var width = (5 << CoarseShift) + (2 * margin);
        var histogram = new int[width];
        int bestCount = 0;
        float bestSpeed = 1;
        double bestOffset = 0;
        for (var step = -(int)(MaxSpeedChange / SpeedStep); step <= (int)(MaxSpeedChange / SpeedStep); step++)
        {
            var s = 1 + (step * SpeedStep);
            Array.Clear(histogram);
            foreach (var h in near)
            {
                var a = (int)MathF.Round(h.Tr - origin - (s * h.Tq));
                if ((uint)a < (uint)width)
                {
                    histogram[a]++;
                }
            }

            for (var a = 1; a < width - 1; a++)
            {
                var c = histogram[a - 1] + histogram[a] + histogram[a + 1];
                if (c > bestCount || (c == bestCount && MathF.Abs(s - 1) < MathF.Abs(bestSpeed - 1)))
                {
                    bestCount = c;
                    bestSpeed = s;
                    bestOffset = a + origin;
                }
            }
        }

        if (bestCount < 3)
        {
            return null;
        }

        var onLine = near.Where(h => Math.Abs(h.Tr - bestOffset - (bestSpeed * h.Tq)) <= InlierFrames).ToList();
        var shifts = onLine.Select(h => (int)h.Shift).Order().ToList();
        var shift = shifts[shifts.Count / 2];
        var inliers = onLine
            .Where(h => Math.Abs(h.Shift - shift) <= InlierShiftBins && MathF.Abs(h.DtR - (bestSpeed * h.DtQ)) <= 1.5f)
            .DistinctBy(h => (h.Tq, h.Tr))
            .ToList();
        if (inliers.Count < 3)
        {
            return null;
        }

        // Least squares over the inliers refines the line found on the grid.
        var (speed, offset) = Fit(inliers, bestSpeed, bestOffset);
        var pitchBins = inliers.Average(h => (double)h.Shift);
        var qStart = inliers.Min(h => h.Tq);
        var qEnd = Math.Min(queryFrames, inliers.Max(h => h.Tq + h.DtQ));
        var work = index.WorkAt((long)Math.Round(offset + (speed * (qStart + qEnd) / 2)));
        if (work is null)
        {
            return null;
        }

        var originalStart = offset + (speed * qStart) - work.Base;
        var hop = AudioFingerprinter.HopSeconds;
        var pitch = Math.Pow(2, pitchBins / AudioFingerprinter.BinsPerOctave);
        var transformed = Math.Abs(speed - 1) > 0.01 || Math.Abs(pitch - 1) > 0.01;
        var span = qEnd - qStart;
        var whole = span >= 0.9 * (queryFrames - 64) && span * speed >= 0.9 * (work.Frames - 64);
        var grade = transformed ? AudioMatchGrade.Transformed : whole ? AudioMatchGrade.Exact : AudioMatchGrade.Partial;
        var score = inliers.Count / (inliers.Count + (transformed ? HalfScoreInliersTransformed : HalfScoreInliers));
        return (new AudioMatch(
            work.Id, grade, score, Math.Max(0, originalStart) * hop, qStart * hop, span * hop, speed, pitch, inliers.Count), work);
    }

    private static (double Speed, double Offset) Fit(List<Hit> inliers, float speed, double offset)
    {
        double n = inliers.Count, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (var h in inliers)
        {
            double x = h.Tq, y = h.Tr - offset;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }

        var variance = (n * sxx) - (sx * sx);
        if (n < 5 || variance < n * n * 100)
        {
            return (speed, offset);
        }

        var slope = ((n * sxy) - (sx * sy)) / variance;
        if (Math.Abs(slope - 1) > MaxSpeedChange)
        {
            return (speed, offset);
        }

        return (slope, offset + ((sy - (slope * sx)) / n));
    }

    /// <summary>Joins consecutive segment matches of one work that agree on the alignment.</summary>
    public static IReadOnlyList<AudioMatch> MergeTimeline(List<AudioMatch> found, double step)
    {
        var merged = new List<AudioMatch>();
        foreach (var m in found.OrderBy(m => m.QueryStart))
        {
            var at = merged.FindLastIndex(o =>
                o.WorkId == m.WorkId
                && m.QueryStart <= o.QueryEnd + step + 1
                && Math.Abs(o.OriginalStart + ((m.QueryStart - o.QueryStart) * o.Speed) - m.OriginalStart) <= 1.5
                && Math.Abs(o.Speed - m.Speed) <= 0.02);
            if (at < 0)
            {
                merged.Add(m);
                continue;
            }

            var o = merged[at];
            var end = Math.Max(o.QueryEnd, m.QueryEnd);
            merged[at] = o with
            {
                Duration = end - o.QueryStart,
                Score = Math.Max(o.Score, m.Score),
                MatchedHashes = o.MatchedHashes + m.MatchedHashes,
                Grade = o.Grade == AudioMatchGrade.Transformed || m.Grade == AudioMatchGrade.Transformed ? AudioMatchGrade.Transformed : AudioMatchGrade.Partial,
            };
        }

        return merged;
    }
}
