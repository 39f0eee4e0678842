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
    internal const double HalfScoreInliers = 10;

    /// <summary>
    /// The same for a transformed alignment: searching 65 speeds and 19 pitch shifts gives chance more
    /// ways to line up, and unrelated music reached 18; true speed, tempo and pitch matches had 29 or more.
    /// </summary>
    internal const double HalfScoreInliersTransformed = 24;

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
        var hits = Collect(index, query.Peaks, dense);
        var votes = new Dictionary<long, int>(Math.Min(hits.Count, 1 << 20));
        foreach (var h in hits)
        {
            var bin = (h.Tr - h.Tq) >> CoarseShift;
            votes[bin] = votes.GetValueOrDefault(bin) + 1;
        }

        // Candidate bins: the best-voted, counting the neighbours a speed change spreads hits into.
        var candidates = votes
            .Where(v => v.Value >= 2)
            .Select(v => (Bin: v.Key, Votes: v.Value + votes.GetValueOrDefault(v.Key - 1) + votes.GetValueOrDefault(v.Key + 1)))
            .OrderByDescending(c => c.Votes)
            .Take(MaxCandidates * 3)
            .ToList();

        var chosen = new List<long>();
        foreach (var (bin, _) in candidates)
        {
            if (chosen.Count < MaxCandidates && !chosen.Any(c => Math.Abs(c - bin) <= 2))
            {
                chosen.Add(bin);
            }
        }

        // One pass hands every hit to the candidates whose neighbourhood holds it.
        var near = chosen.Select(_ => new List<Hit>()).ToArray();
        var byBin = new Dictionary<long, List<int>>();
        for (var c = 0; c < chosen.Count; c++)
        {
            for (var d = -2; d <= 2; d++)
            {
                if (!byBin.TryGetValue(chosen[c] + d, out var list))
                {
                    byBin[chosen[c] + d] = list = [];
                }

                list.Add(c);
            }
        }

        foreach (var h in hits)
        {
            if (byBin.TryGetValue((h.Tr - h.Tq) >> CoarseShift, out var owners))
            {
                foreach (var c in owners)
                {
                    near[c].Add(h);
                }
            }
        }

        var results = new List<(AudioMatch Match, AudioIndex.WorkSpan Work)>();
        for (var c = 0; c < chosen.Count; c++)
        {
            if (Verify(index, near[c], chosen[c], query.FrameCount) is { } found && found.Match.Score >= options.MinScore)
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

    private static List<Hit> Collect(AudioIndex index, ReadOnlySpan<SpectralPeak> peaks, bool dense)
    {
        var hits = new List<Hit>();
        var segments = index.Segments;
        Landmarks.ForQuery(peaks, dense, t =>
        {
            var f1 = (int)MathF.Round(t.F1);
            var dtMin = ((1 - MaxSpeedChange) * t.Dt13) - 1;
            var dtMax = ((1 + MaxSpeedChange) * t.Dt13) + 1;
            foreach (var segment in segments)
            {
                var tag = segment.Tag(t.Key);
                var mask = segment.TagMask;
                foreach (var posting in segment.BucketOf(t.Key))
                {
                    if ((posting & mask) != tag)
                    {
                        continue;
                    }

                    var shift = f1 - (int)((posting >> 22) & 0xFF);
                    var dt = (int)((posting >> 15) & 0x7F);
                    if (shift < -MaxShiftBins || shift > MaxShiftBins || dt < dtMin || dt > dtMax)
                    {
                        continue;
                    }

                    hits.Add(new Hit(t.T1, (long)(posting >> 30), (short)shift, (byte)t.Dt13, (byte)dt));
                }
            }
        });

        return hits;
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
