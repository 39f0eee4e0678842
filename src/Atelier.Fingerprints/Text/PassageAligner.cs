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
/// <para>
/// Positions are in k-gram units (see <see cref="Winnowing"/>), so the bounds mean the same for
/// words and for CJK characters. The suspect side has every k-gram, the original only its winnowed
/// ones, so a literal copy finds every original fingerprint inside the copied region: coverage 1.
/// </para>
/// <para>
/// Where the original repeats itself (a refrain, a heading repeated but for its number), a suspect
/// k-gram matches several places and the hashes alone cannot say which was copied. The aligner then
/// keeps the occurrence that is contiguous with its neighbours: a repeated k-gram does not extend a
/// chain off its diagonal at either end, and of the chains that explain the same suspect text, the
/// one lying next to the passage around it in the original wins.
/// </para>
/// </remarks>
internal static class PassageAligner
{
    public static List<TextPassage> Align(TextAnalysis query, WorkLayout work, ReadOnlySpan<Seed> seeds, TextMatchOptions options, int gramUnits)
    {
        var gap = options.MaxGapGrams * gramUnits;
        var chains = DropAlternatives(DetachRepeatedEnds(BuildChains(query, work, seeds, gap, gramUnits)), gap);
        var passages = new List<TextPassage>();
        foreach (var group in MergeChains(chains, gap, gramUnits))
        {
            var passage = ToPassage(query, work, group, options, gramUnits);
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
        for (var s = 0; s < seeds.Length; s++)
        {
            var seed = seeds[s];
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
                best = new Chain(gramUnits);
                active.Add(best);
            }

            // The index hands the seeds over grouped by gram: a neighbour with the same gram means
            // that the k-gram occurs at several places in the original.
            var repeated = (s > 0 && seeds[s - 1].Gram == seed.Gram) || (s + 1 < seeds.Length && seeds[s + 1].Gram == seed.Gram);
            best.Add(new Link(q, o, seed.Gram, seed.Ordinal, repeated));
        }

        finished.AddRange(active);
        return finished;
    }

    /// <summary>
    /// A repeated k-gram at the end of a chain, reached off the chain's diagonal, says nothing about
    /// which of its occurrences was copied: the chain took whichever lay ahead within the drift, and
    /// would carry the passage into text that was never copied. It is cut off into a chain of its
    /// own, to compete with its other occurrences below. (Inside a chain, neighbours on both sides
    /// vouch for the place.)
    /// </summary>
    private static List<Chain> DetachRepeatedEnds(List<Chain> chains)
    {
        var detached = new List<Chain>();
        foreach (var chain in chains)
        {
            while (chain.Links.Count > 1 && chain.Links[^1].Repeated && chain.Links[^1].Diagonal != chain.Links[^2].Diagonal)
            {
                detached.Add(chain.Split(chain.Links.Count - 1, 1));
            }

            while (chain.Links.Count > 1 && chain.Links[0].Repeated && chain.Links[0].Diagonal != chain.Links[1].Diagonal)
            {
                detached.Add(chain.Split(0, 1));
            }
        }

        chains.AddRange(detached);
        return chains;
    }

    /// <summary>
    /// When the original repeats itself, one stretch of the suspect aligns with several places in
    /// it: chains that cover mostly the same suspect text are rivals. Chains without a rival are
    /// kept. The others are settled from the best supported down: of a chain and its undecided
    /// rivals, the one lying nearest, in the original, to the chains already kept around it in the
    /// suspect wins, then the one with the most seeds; a chain mostly covering suspect text already
    /// explained is dropped. A copied passage comes from one place, so a repeated line or heading
    /// is placed where its neighbours were copied from, and does not widen or reorder a passage.
    /// </summary>
    private static List<Chain> DropAlternatives(List<Chain> chains, int gap)
    {
        if (chains.Count <= 1)
        {
            return chains;
        }

        chains.Sort(Chain.InSuspectOrder);
        var contested = new bool[chains.Count];
        var longest = 0;
        for (var i = 0; i < chains.Count; i++)
        {
            longest = Math.Max(longest, chains[i].EndQ - chains[i].FirstQ);
            for (var j = i + 1; j < chains.Count && chains[j].FirstQ < chains[i].EndQ; j++)
            {
                if (AreRivals(chains[i], chains[j]))
                {
                    contested[i] = contested[j] = true;
                }
            }
        }

        var kept = new KeptChains();
        var order = new List<int>();
        for (var i = 0; i < chains.Count; i++)
        {
            if (contested[i])
            {
                order.Add(i);
            }
            else
            {
                kept.Add(chains[i]);
            }
        }

        order.Sort((x, y) => chains[x].Links.Count != chains[y].Links.Count ? chains[y].Links.Count.CompareTo(chains[x].Links.Count) : x.CompareTo(y));
        var decided = new bool[chains.Count];
        foreach (var c in order)
        {
            while (!decided[c])
            {
                // The chain and its undecided rivals (found among the chains starting near it: none
                // is longer than the longest).
                var best = -1;
                var bestDistance = (Gap: long.MaxValue, Stretch: long.MaxValue);
                for (var r = FirstStartingFrom(chains, chains[c].FirstQ - longest); r < chains.Count && chains[r].FirstQ < chains[c].EndQ; r++)
                {
                    if (decided[r] || !contested[r] || (r != c && !AreRivals(chains[c], chains[r])))
                    {
                        continue;
                    }

                    if (kept.Covered(chains[r]) * 2 > chains[r].EndQ - chains[r].FirstQ)
                    {
                        decided[r] = true;
                        continue;
                    }

                    var distance = kept.Distance(chains[r], 2 * gap);
                    if (best < 0 || IsBetter(chains[r], distance, chains[best], bestDistance))
                    {
                        best = r;
                        bestDistance = distance;
                    }
                }

                if (best >= 0)
                {
                    kept.Add(chains[best]);
                    decided[best] = true;
                }
            }
        }

        var result = kept.Chains;

        // A lone seed whose k-gram starts inside one kept chain and ends inside the next lies where
        // two copied pieces meet in the suspect (shuffled sentences): that the words across the
        // seam also occur somewhere in the original is chance, and it would stretch the passage.
        var reach = new int[result.Count];
        for (var i = 0; i < result.Count; i++)
        {
            reach[i] = Math.Max(i > 0 ? reach[i - 1] : int.MinValue, result[i].EndQ);
        }

        for (var i = result.Count - 2; i > 0; i--)
        {
            var seam = result[i];
            if (seam.Links.Count == 1 && reach[i - 1] > seam.FirstQ && result[i + 1].FirstQ < seam.EndQ)
            {
                result.RemoveAt(i);
            }
        }

        return result;
    }

    /// <summary>Chains covering mostly the same suspect text: more than half of the shorter one.</summary>
    private static bool AreRivals(Chain a, Chain b)
    {
        var overlap = Math.Min(a.EndQ, b.EndQ) - Math.Max(a.FirstQ, b.FirstQ);
        return overlap * 2 > Math.Min(a.EndQ - a.FirstQ, b.EndQ - b.FirstQ);
    }

    /// <summary>Index of the first of the chains (ordered by start) starting at or after <paramref name="q"/>.</summary>
    private static int FirstStartingFrom(List<Chain> chains, int q)
    {
        int lo = 0, hi = chains.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (chains[mid].FirstQ < q)
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
    /// Whether rival <paramref name="a"/> beats <paramref name="b"/>: lying nearer, in the original,
    /// to the kept chains around it; then more seeds; then stretching their range less.
    /// </summary>
    private static bool IsBetter(Chain a, (long Gap, long Stretch) da, Chain b, (long Gap, long Stretch) db) =>
        da.Gap != db.Gap ? da.Gap < db.Gap
        : a.Links.Count != b.Links.Count ? a.Links.Count > b.Links.Count
        : da.Stretch != db.Stretch ? da.Stretch < db.Stretch
        : a.FirstQ != b.FirstQ ? a.FirstQ < b.FirstQ
        : a.FirstO < b.FirstO;

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

    private static TextPassage? ToPassage(TextAnalysis query, WorkLayout work, List<Chain> group, TextMatchOptions options, int gramUnits)
    {
        int longest = 0, firstQ = int.MaxValue, endQ = 0;
        foreach (var chain in group)
        {
            longest = Math.Max(longest, chain.Links.Count);
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
            foreach (var link in chain.Links)
            {
                ordinals.Add(link.Ordinal);
                var sourceStart = work.SourceStarts[link.Ordinal];
                qStart = Math.Min(qStart, query.GramStarts[link.Gram]);
                qEnd = Math.Max(qEnd, query.GramEnds[link.Gram]);
                oStart = Math.Min(oStart, sourceStart);
                oEnd = Math.Max(oEnd, sourceStart + work.SourceLengths[link.Ordinal]);
            }

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

    /// <summary>
    /// The chains kept so far, in suspect order, so that the questions asked of them look only at
    /// the chains near the one asked about.
    /// </summary>
    private sealed class KeptChains
    {
        private int _longest;

        public List<Chain> Chains { get; } = [];

        public void Add(Chain chain)
        {
            var index = Chains.BinarySearch(chain, Chain.InSuspectOrder);
            Chains.Insert(index < 0 ? ~index : index, chain);
            _longest = Math.Max(_longest, chain.EndQ - chain.FirstQ);
        }

        /// <summary>Suspect units of <paramref name="chain"/> covered by kept chains (counted per chain).</summary>
        public int Covered(Chain chain)
        {
            var covered = 0;
            foreach (var other in Near(chain.FirstQ, chain.EndQ))
            {
                covered += Math.Max(0, Math.Min(chain.EndQ, other.EndQ) - Math.Max(chain.FirstQ, other.FirstQ));
            }

            return covered;
        }

        /// <summary>
        /// Where <paramref name="chain"/> lies, in the original, from the range covered by the kept
        /// chains within <paramref name="reach"/> of it in the suspect: the gap between them and how
        /// far it would stretch the range (both 0 when it falls inside; the maximum when no kept
        /// chain is that near).
        /// </summary>
        public (long Gap, long Stretch) Distance(Chain chain, int reach)
        {
            int first = int.MaxValue, end = int.MinValue;
            foreach (var other in Near(chain.FirstQ - reach, chain.EndQ + reach))
            {
                first = Math.Min(first, other.FirstO);
                end = Math.Max(end, other.EndO);
            }

            if (first > end)
            {
                return (long.MaxValue, long.MaxValue);
            }

            return (Math.Max(0, Math.Max(first - chain.EndO, chain.FirstO - end)), (long)Math.Max(0, first - chain.FirstO) + Math.Max(0, chain.EndO - end));
        }

        /// <summary>Kept chains overlapping the suspect units [<paramref name="start"/>, <paramref name="end"/>] (touching counts).</summary>
        private IEnumerable<Chain> Near(int start, int end)
        {
            // The chains are ordered by start, and none is longer than the longest.
            for (var i = FirstStartingFrom(Chains, start - _longest); i < Chains.Count && Chains[i].FirstQ <= end; i++)
            {
                if (Chains[i].EndQ >= start)
                {
                    yield return Chains[i];
                }
            }
        }
    }

    /// <summary>One seed in a chain: its positions (units) in both texts, and whether its k-gram occurs at several places in the original.</summary>
    private readonly record struct Link(int Q, int O, int Gram, int Ordinal, bool Repeated)
    {
        public int Diagonal => O - Q;
    }

    /// <summary>Seeds in increasing order in both texts.</summary>
    private sealed class Chain(int gramUnits)
    {
        /// <summary>By start in the suspect, then in the original.</summary>
        public static readonly Comparer<Chain> InSuspectOrder = Comparer<Chain>.Create(static (a, b) => a.FirstQ != b.FirstQ ? a.FirstQ.CompareTo(b.FirstQ) : a.FirstO.CompareTo(b.FirstO));

        public List<Link> Links { get; } = [];

        public int FirstQ => Links[0].Q;

        public int FirstO => Links[0].O;

        public int LastQ => Links[^1].Q;

        public int LastO => Links[^1].O;

        /// <summary>Unit position just past the chain's last k-gram in the suspect.</summary>
        public int EndQ => LastQ + gramUnits;

        /// <summary>Unit position just past the chain's last k-gram in the original.</summary>
        public int EndO => LastO + gramUnits;

        public void Add(Link link) => Links.Add(link);

        /// <summary>Moves <paramref name="count"/> links from <paramref name="index"/> into a new chain.</summary>
        public Chain Split(int index, int count)
        {
            var split = new Chain(gramUnits);
            split.Links.AddRange(Links.GetRange(index, count));
            Links.RemoveRange(index, count);
            return split;
        }
    }
}
