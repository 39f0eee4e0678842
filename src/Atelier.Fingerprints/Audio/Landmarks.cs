namespace Atelier.Fingerprints.Audio;

/// <summary>
/// Peak triplets and their hashes, after Six and Leman, "Panako: a scalable acoustic fingerprinting system
/// handling time-scale and pitch modification" (ISMIR 2014), §2.2. Three peaks (t1, f1), (t2, f2), (t3, f3)
/// give a key that neither a time-scale change nor a pitch shift moves: the ratio (t2 − t1) / (t3 − t1)
/// and the log-frequency differences f2 − f1 and f3 − f1. Added to it are the octave of f1 (coarse, so a
/// shift of two semitones stays in it or in the neighbour that the query probes) and which peak is loudest.
/// </summary>
/// <remarks>
/// Chosen by measurement over the alternative the issue names, indexing several resamplings: one index of
/// invariant keys costs one probe set per query, where resamplings multiply either the index (one copy per
/// speed and pitch step) or the lookups, and a ±5% grid with 1% steps needs eleven of them a dimension.
/// The two sides are asymmetric, as a query can afford what an index cannot: a registered work contributes
/// only triplets of its dominant peaks (the few strongest ahead of each), a query tries every peak as an
/// anchor and more partners, and probes the neighbouring cell of every feature that lies near a cell edge.
/// Noise and filtering that drop or add peaks then still leave the registered triplets among the tried ones.
/// </remarks>
internal static class Landmarks
{
    /// <summary>Least frames between two peaks of a triplet (48 ms).</summary>
    public const int MinDt = 3;

    /// <summary>Most frames from the first to the last peak of a triplet (0.77 s); fits seven bits.</summary>
    public const int MaxDt = 48;

    /// <summary>Farthest a partner peak may lie from the anchor in frequency (one octave).</summary>
    public const float MaxDf = BinsPerOctave;

    /// <summary>Partners (strongest peaks in the window after an anchor) a registered triplet draws from.</summary>
    public const int IndexPartners = 3;

    /// <summary>Partners a query triplet draws from in the dense pass.</summary>
    public const int QueryPartners = 6;

    /// <summary>
    /// Partners in the quick first pass, which draws triplets like the index and probes only the
    /// neighbours a speed or pitch change needs (Δt13 and octave), not those of measurement jitter.
    /// </summary>
    public const int QuickPartners = IndexPartners;

    /// <summary>Widest speed change searched for (±7%, past the ±5% the issue asks for).</summary>
    public const float MaxSpeedChange = 0.07f;

    /// <summary>An index anchor is the loudest peak within this many frames...</summary>
    public const int StrongFrames = 12;

    /// <summary>...and this many bins.</summary>
    public const float StrongBins = 10;

    private const int BinsPerOctave = AudioFingerprinter.BinsPerOctave;
    private const int RatioCells = 20;
    private const float DfCell = 1f;
    private const int DfCells = (int)(2 * MaxDf / DfCell) + 1;
    private const int Bands = AudioFingerprinter.Bins / BinsPerOctave;

    // Δt13 enters the key on a log scale (cells 15% wide) so a time-scale change moves it by at most one
    // cell edge; the query probes every cell its speed range reaches.
    private const int DtCells = 32;
    private static readonly float s_dtCellLog = MathF.Log(1.15f);

    // Query-side tolerances: a feature this close to a cell edge also probes the neighbouring cell.
    private const float RatioToleranceFrames = 0.6f;
    private const float DfToleranceBins = 0.3f;
    private const float BandToleranceBins = 7f;
    private const float LoudToleranceDb = 2f;

    /// <summary>One triplet: the anchor's time and bin, and the hash key of its invariant features.</summary>
    public readonly record struct Triplet(int T1, float F1, int Dt13, ulong Key);

    /// <summary>The triplets a registered recording contributes to the index.</summary>
    public static List<Triplet> ForIndex(ReadOnlySpan<SpectralPeak> peaks)
    {
        var strong = Strong(peaks);
        var result = new List<Triplet>(strong.Length * 3);
        Span<int> partners = stackalloc int[IndexPartners];
        for (var i = 0; i < strong.Length; i++)
        {
            var n = Partners(strong, i, partners);
            for (var x = 0; x < n; x++)
            {
                for (var y = x + 1; y < n; y++)
                {
                    if (Features(strong[i], strong[partners[x]], strong[partners[y]], out var f))
                    {
                        result.Add(new Triplet(strong[i].Frame, strong[i].Bin, f.Dt13, Key(f)));
                    }
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The query's triplets, each with every key it may have been registered under, calling
    /// <paramref name="probe"/> once for each (anchor time, anchor bin, Δt13, key). The quick pass draws
    /// triplets the way the index does (dominant peaks, few partners); the dense pass tries every peak.
    /// </summary>
    public static void ForQuery(ReadOnlySpan<SpectralPeak> peaks, bool dense, Action<Triplet> probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var anchors = dense ? peaks : Strong(peaks);
        Span<int> partners = stackalloc int[dense ? QueryPartners : QuickPartners];
        Span<int> cells = stackalloc int[6 * 4];
        Span<int> counts = stackalloc int[6];
        for (var i = 0; i < anchors.Length; i++)
        {
            var n = Partners(anchors, i, partners);
            for (var x = 0; x < n; x++)
            {
                for (var y = x + 1; y < n; y++)
                {
                    var a = anchors[i];
                    if (!Features(a, anchors[partners[x]], anchors[partners[y]], out var f))
                    {
                        continue;
                    }

                    var jitter = dense ? 1 : 0;
                    counts[0] = Cells(f.Ratio * RatioCells, jitter * RatioCells * RatioToleranceFrames / f.Dt13, RatioCells, cells[0..]);
                    counts[1] = Cells((f.Df2 + MaxDf) / DfCell, jitter * DfToleranceBins / DfCell, DfCells, cells[4..]);
                    counts[2] = Cells((f.Df3 + MaxDf) / DfCell, jitter * DfToleranceBins / DfCell, DfCells, cells[8..]);
                    counts[3] = Cells(a.Bin / BinsPerOctave, BandToleranceBins / BinsPerOctave, Bands, cells[12..]);
                    cells[16] = f.Loudest;
                    counts[4] = 1;
                    if (dense && f.LoudGap < LoudToleranceDb)
                    {
                        cells[17] = f.SecondLoudest;
                        counts[4] = 2;
                    }

                    var dtLow = DtCell(((1 - MaxSpeedChange) * f.Dt13) - 1);
                    var dtHigh = DtCell(((1 + MaxSpeedChange) * f.Dt13) + 1);
                    counts[5] = Math.Min(dtHigh - dtLow + 1, 4);
                    for (var c = 0; c < counts[5]; c++)
                    {
                        cells[20 + c] = dtLow + c;
                    }

                    // Every combination of the cells, in the order ratio, Δf2, Δf3, octave, loudest, Δt13.
                    var combinations = counts[0] * counts[1] * counts[2] * counts[3] * counts[4] * counts[5];
                    for (var c = 0; c < combinations; c++)
                    {
                        var rest = c;
                        var dt = rest % counts[5];
                        rest /= counts[5];
                        var l = rest % counts[4];
                        rest /= counts[4];
                        var band = rest % counts[3];
                        rest /= counts[3];
                        var d3 = rest % counts[2];
                        rest /= counts[2];
                        var d2 = rest % counts[1];
                        var r = rest / counts[1];
                        probe(new Triplet(a.Frame, a.Bin, f.Dt13, Combine(cells[r], cells[4 + d2], cells[8 + d3], cells[12 + band], cells[16 + l], cells[20 + dt])));
                    }
                }
            }
        }
    }

    /// <summary>Peaks that are the loudest within ±<see cref="StrongFrames"/> and ±<see cref="StrongBins"/>.</summary>
    public static SpectralPeak[] Strong(ReadOnlySpan<SpectralPeak> peaks)
    {
        var result = new List<SpectralPeak>(peaks.Length / 2);
        var lo = 0;
        for (var i = 0; i < peaks.Length; i++)
        {
            var p = peaks[i];
            while (peaks[lo].Frame < p.Frame - StrongFrames)
            {
                lo++;
            }

            var strong = true;
            for (var j = lo; j < peaks.Length && peaks[j].Frame <= p.Frame + StrongFrames; j++)
            {
                var q = peaks[j];
                if (j != i && MathF.Abs(q.Bin - p.Bin) <= StrongBins && (q.Level > p.Level || (q.Level == p.Level && j < i)))
                {
                    strong = false;
                    break;
                }
            }

            if (strong)
            {
                result.Add(p);
            }
        }

        return [.. result];
    }

    /// <summary>The loudest peaks in the window after anchor <paramref name="i"/>, in time order; returns how many.</summary>
    private static int Partners(ReadOnlySpan<SpectralPeak> peaks, int i, Span<int> chosen)
    {
        var a = peaks[i];
        var n = 0;
        for (var j = i + 1; j < peaks.Length; j++)
        {
            var p = peaks[j];
            if (p.Frame > a.Frame + MaxDt)
            {
                break;
            }

            if (p.Frame < a.Frame + MinDt || MathF.Abs(p.Bin - a.Bin) > MaxDf)
            {
                continue;
            }

            // Insertion into the list of the loudest, kept sorted by level (descending).
            var at = n < chosen.Length ? n++ : chosen.Length;
            while (at > 0 && peaks[chosen[at - 1]].Level < p.Level)
            {
                if (at < chosen.Length)
                {
                    chosen[at] = chosen[at - 1];
                }

                at--;
            }

            if (at < chosen.Length)
            {
                chosen[at] = j;
            }
        }

        chosen[..n].Sort();
        return n;
    }

    private readonly record struct TripletFeatures(float Ratio, float Df2, float Df3, int Band, int Loudest, int SecondLoudest, float LoudGap, int Dt13);

    private static bool Features(SpectralPeak a, SpectralPeak b, SpectralPeak c, out TripletFeatures features)
    {
        var dt12 = b.Frame - a.Frame;
        var dt13 = c.Frame - a.Frame;
        if (dt13 - dt12 < MinDt || MathF.Abs(c.Bin - a.Bin) > MaxDf)
        {
            features = default;
            return false;
        }

        // Loudest and second loudest of the three.
        Span<float> levels = [a.Level, b.Level, c.Level];
        var first = 0;
        for (var k = 1; k < 3; k++)
        {
            if (levels[k] > levels[first])
            {
                first = k;
            }
        }

        var second = first == 0 ? 1 : 0;
        for (var k = 0; k < 3; k++)
        {
            if (k != first && levels[k] > levels[second])
            {
                second = k;
            }
        }

        features = new TripletFeatures(
            (float)dt12 / dt13, b.Bin - a.Bin, c.Bin - a.Bin, Math.Clamp((int)(a.Bin / BinsPerOctave), 0, Bands - 1),
            first, second, levels[first] - levels[second], dt13);
        return true;
    }

    private static ulong Key(TripletFeatures f) =>
        Combine(
            Math.Clamp((int)(f.Ratio * RatioCells), 0, RatioCells - 1),
            Math.Clamp((int)((f.Df2 + MaxDf) / DfCell), 0, DfCells - 1),
            Math.Clamp((int)((f.Df3 + MaxDf) / DfCell), 0, DfCells - 1),
            f.Band,
            f.Loudest,
            DtCell(f.Dt13));

    private static int DtCell(float dt) => Math.Clamp((int)MathF.Floor(MathF.Log(MathF.Max(dt, 1)) / s_dtCellLog), 0, DtCells - 1);

    private static ulong Combine(int ratio, int df2, int df3, int band, int loudest, int dt)
    {
        var key = (ulong)((((((((((ratio * DfCells) + df2) * DfCells) + df3) * Bands) + band) * 3) + loudest) * DtCells) + dt);

        // splitmix64's finaliser spreads the dense key over 64 bits for bucketing.
        key += 0x9E3779B97F4A7C15UL;
        key = (key ^ (key >> 30)) * 0xBF58476D1CE4E5B9UL;
        key = (key ^ (key >> 27)) * 0x94D049BB133111EBUL;
        return key ^ (key >> 31);
    }

    /// <summary>The cell of <paramref name="value"/> and, when it lies within <paramref name="tolerance"/> of an edge, its neighbour.</summary>
    private static int Cells(float value, float tolerance, int count, Span<int> cells)
    {
        var cell = Math.Clamp((int)MathF.Floor(value), 0, count - 1);
        cells[0] = cell;
        var frac = value - cell;
        if (frac < tolerance && cell > 0)
        {
            cells[1] = cell - 1;
            return 2;
        }

        if (1 - frac < tolerance && cell < count - 1)
        {
            cells[1] = cell + 1;
            return 2;
        }

        return 1;
    }
}
