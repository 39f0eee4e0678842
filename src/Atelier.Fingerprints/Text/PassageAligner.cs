namespace Atelier.Fingerprints.Text;

/// <summary>A suspect k-gram (by index) whose hash is fingerprint <see cref="Ordinal"/> of a work.</summary>
internal readonly record struct Seed(int Gram, int Ordinal);

/// <summary>
/// Verifies a candidate work by aligning the shared fingerprints into passages, in the manner of
/// seed-and-chain alignment: seeds (suspect position, original position) are chained in order along
/// a diagonal with bounded gaps and drift; chains that lie close together in both texts are merged
/// into one passage (reordered sentences become one passage made of several chains); each passage
/// reports its spans in both texts, how much of the original's fingerprints inside it were found,
/// and whether it aligns only approximately.
/// </summary>
/// <remarks>
/// Positions are in k-gram units (see <see cref="Winnowing"/>), so the bounds mean the same for
/// words and for CJK characters. The suspect side has every k-gram, the original only its winnowed
/// ones, so a literal copy finds every original fingerprint inside the copied region: coverage 1.
/// </remarks>
internal static class PassageAligner
{
    public static List<TextPassage> Align(TextAnalysis query, WorkLayout work, ReadOnlySpan<Seed> seeds, TextMatchOptions options, int gramUnits)
    {
        var gap = options.MaxGapGrams * gramUnits;
        var chains = DropAlternatives(BuildChains(query, work, seeds, gap, gramUnits), gap);
        var passages = new List<TextPassage>();
        foreach (var group in MergeChains(chains, gap, gramUnits))
        {
            var passage = ToPassage(group, options, gramUnits);
            if (passage is not null)
            {
                passages.Add(passage);
            }
        }

        passages.Sort(static (a, b) => a.Suspect.Start.CompareTo(b.Suspect.Start));
        return passages;
    }

    private static List<Chain> BuildChains(TextAnalysis query, WorkLayout work, ReadOnlySpan<Seed> seeds, int gap, int gramUnits)
    {
        var finished = new List<Chain>();
        var active = new List<Chain>();
        var gramPositions = query.GramPositions;
        foreach (var seed in seeds)
        {
            var q = gramPositions[seed.Gram];
            var o = work.Positions[seed.Ordinal];

            // Chains that can no longer grow leave the active list, which keeps this linear in practice.
            for (var i = active.Count - 1; i >= 0; i--)
            {
                if (active[i].LastQ < q - gap)
                {
                    finished.Add(active[i]);
                    active.RemoveAt(i);
                }
            }

            Chain? best = null;
            var bestCost = int.MaxValue;
            foreach (var chain in active)
            {
                var dq = q - chain.LastQ;
                var dO = o - chain.LastO;
                if (dq <= 0 || dO <= 0 || dO > gap)
                {
                    continue;
                }

                // Edits shift the diagonal by the words they insert or delete: allow a gram's worth
                // plus a quarter of the distance.
                var drift = Math.Abs(dq - dO);
                if (drift > gramUnits + (Math.Max(dq, dO) / 4))
                {
                    continue;
                }

                var cost = drift + ((dq + dO) / 8);
                if (cost < bestCost)
                {
                    bestCost = cost;
                    best = chain;
                }
            }

            if (best is null)
            {
                best = new Chain(q, o);
                active.Add(best);
            }

            best.Add(q, o, seed.Ordinal, query.GramStarts[seed.Gram], query.GramEnds[seed.Gram], work.SourceStarts[seed.Ordinal], work.SourceStarts[seed.Ordinal] + work.SourceLengths[seed.Ordinal], gramUnits);
        }

        finished.AddRange(active);
        return finished;
    }

    /// <summary>
    /// When the original repeats itself, one stretch of the suspect aligns with several places in
    /// it. Keep the best-supported chain for each stretch of the suspect and drop chains that mostly
    /// cover suspect text already explained, so a repeated phrase elsewhere in the original does not
    /// widen or reorder a passage. Between equally supported chains, the one lying closest in the
    /// original to the chains already kept around it in the suspect wins: a copied passage comes
    /// from one place.
    /// </summary>
    private static List<Chain> DropAlternatives(List<Chain> chains, int gap)
    {
        if (chains.Count <= 1)
        {
            return chains;
        }

        var kept = new List<Chain>();
        foreach (var tier in chains.GroupBy(static c => c.Ordinals.Count).OrderByDescending(static t => t.Key))
        {
            var ordered = tier.OrderBy(c => DistanceToKept(c, kept, gap)).ThenBy(static c => c.FirstQ).ThenBy(static c => c.FirstO);
            foreach (var chain in ordered)
            {
                var overlap = 0;
                foreach (var other in kept)
                {
                    overlap += Math.Max(0, Math.Min(chain.EndQ, other.EndQ) - Math.Max(chain.FirstQ, other.FirstQ));
                }

                if (overlap * 2 <= chain.EndQ - chain.FirstQ)
                {
                    kept.Add(chain);
                }
            }
        }

        kept.Sort(static (a, b) => a.FirstQ != b.FirstQ ? a.FirstQ.CompareTo(b.FirstQ) : a.FirstO.CompareTo(b.FirstO));
        return kept;
    }

    /// <summary>
    /// How far <paramref name="chain"/> would stretch, in the original, the range covered by the kept
    /// chains that are its neighbours in the suspect (0 when it falls inside; the maximum when it
    /// has no kept neighbour).
    /// </summary>
    private static long DistanceToKept(Chain chain, List<Chain> kept, int gap)
    {
        int first = int.MaxValue, end = int.MinValue;
        foreach (var other in kept)
        {
            var suspectGap = Math.Max(other.FirstQ - chain.EndQ, chain.FirstQ - other.EndQ);
            if (suspectGap <= 2 * gap)
            {
                first = Math.Min(first, other.FirstO);
                end = Math.Max(end, other.EndO);
            }
        }

        return first > end ? long.MaxValue : (long)Math.Max(0, first - chain.FirstO) + Math.Max(0, chain.EndO - end);
    }

    private static List<List<Chain>> MergeChains(List<Chain> chains, int gap, int gramUnits)
    {
        var groups = new List<List<Chain>>();
        var bounds = new List<(int FirstQ, int EndQ, int FirstO, int EndO)>();
        foreach (var chain in chains)
        {
            var merged = false;

            // Try the most recent groups first: a passage is built from neighbouring chains.
            for (var g = groups.Count - 1; g >= 0 && g >= groups.Count - 4; g--)
            {
                var b = bounds[g];
                if (chain.FirstQ - b.EndQ > gap)
                {
                    continue;
                }

                var firstQ = Math.Min(b.FirstQ, chain.FirstQ);
                var endQ = Math.Max(b.EndQ, chain.EndQ);
                var firstO = Math.Min(b.FirstO, chain.FirstO);
                var endO = Math.Max(b.EndO, chain.EndO);

                // The pieces must come from a stretch of the original about as long as the stretch of
                // the suspect they fill: shuffled sentences of one passage, not two distant passages.
                if (endO - firstO > (3 * (endQ - firstQ) / 2) + (2 * gramUnits))
                {
                    continue;
                }

                groups[g].Add(chain);
                bounds[g] = (firstQ, endQ, firstO, endO);
                merged = true;
                break;
            }

            if (!merged)
            {
                groups.Add([chain]);
                bounds.Add((chain.FirstQ, chain.EndQ, chain.FirstO, chain.EndO));
            }
        }

        return groups;
    }

    private static TextPassage? ToPassage(List<Chain> group, TextMatchOptions options, int gramUnits)
    {
        int longest = 0, firstQ = int.MaxValue, endQ = 0;
        foreach (var chain in group)
        {
            longest = Math.Max(longest, chain.Ordinals.Count);
            firstQ = Math.Min(firstQ, chain.FirstQ);
            endQ = Math.Max(endQ, chain.EndQ);
        }

        // A lone seed here and there is chance, and so is a phrase shorter than a couple of k-grams:
        // a passage needs a real run somewhere and some length.
        if (longest < 2 || endQ - firstQ < options.MinPassageGrams * gramUnits)
        {
            return null;
        }

        var ordinals = new List<int>();
        int qStart = int.MaxValue, qEnd = 0, oStart = int.MaxValue, oEnd = 0;
        var reordered = false;
        Chain? previous = null;
        foreach (var chain in group)
        {
            ordinals.AddRange(chain.Ordinals);
            qStart = Math.Min(qStart, chain.QStart);
            qEnd = Math.Max(qEnd, chain.QEnd);
            oStart = Math.Min(oStart, chain.OStart);
            oEnd = Math.Max(oEnd, chain.OEnd);
            if (previous is not null && chain.FirstO <= previous.LastO)
            {
                reordered = true;
            }

            previous = chain;
        }

        ordinals.Sort();
        var distinct = 0;
        for (var i = 0; i < ordinals.Count; i++)
        {
            if (i == 0 || ordinals[i] != ordinals[i - 1])
            {
                distinct++;
            }
        }

        if (distinct < options.MinSharedFingerprints)
        {
            return null;
        }

        var expected = ordinals[^1] - ordinals[0] + 1;
        var coverage = (double)distinct / expected;
        var approximate = reordered || coverage < options.LiteralCoverage;
        return new TextPassage(new TextSpan(qStart, qEnd - qStart), new TextSpan(oStart, oEnd - oStart), distinct, coverage, approximate);
    }

    private sealed class Chain(int firstQ, int firstO)
    {
        public int FirstQ { get; } = firstQ;

        public int FirstO { get; } = firstO;

        public int LastQ { get; private set; } = firstQ;

        public int LastO { get; private set; } = firstO;

        /// <summary>Unit position just past the chain's last k-gram in the suspect.</summary>
        public int EndQ { get; private set; }

        /// <summary>Unit position just past the chain's last k-gram in the original.</summary>
        public int EndO { get; private set; }

        public List<int> Ordinals { get; } = [];

        public int QStart { get; private set; } = int.MaxValue;

        public int QEnd { get; private set; }

        public int OStart { get; private set; } = int.MaxValue;

        public int OEnd { get; private set; }

        public void Add(int q, int o, int ordinal, int qStart, int qEnd, int oStart, int oEnd, int gramUnits)
        {
            LastQ = q;
            LastO = o;
            EndQ = Math.Max(EndQ, q + gramUnits);
            EndO = Math.Max(EndO, o + gramUnits);
            Ordinals.Add(ordinal);
            QStart = Math.Min(QStart, qStart);
            QEnd = Math.Max(QEnd, qEnd);
            OStart = Math.Min(OStart, oStart);
            OEnd = Math.Max(OEnd, oEnd);
        }
    }
}
