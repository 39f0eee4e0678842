namespace Atelier.Fingerprints.Image;

/// <summary>How closely a suspect image copies a registered one (the `exact` grade, same SHA-256, is the catalog's).</summary>
public enum ImageMatchGrade
{
    /// <summary>The same picture: PDQ within <see cref="ImageMatchOptions.NearExactDistance"/> bits, as it is.</summary>
    NearExact = 0,

    /// <summary>The whole picture changed: flipped or turned (dihedral), framed, recoloured, or turned by a few degrees.</summary>
    Transformed = 1,

    /// <summary>Part of the picture (a crop), or the picture inside a larger one.</summary>
    Partial = 2,
}

/// <summary>Wire names of <see cref="ImageMatchGrade"/>.</summary>
public static class ImageMatchGrades
{
    /// <summary>"near-exact", "transformed" or "partial".</summary>
    public static string ToWire(this ImageMatchGrade grade) => grade switch
    {
        ImageMatchGrade.NearExact => "near-exact",
        ImageMatchGrade.Transformed => "transformed",
        ImageMatchGrade.Partial => "partial",
        _ => throw new ArgumentOutOfRangeException(nameof(grade), grade, "unknown grade"),
    };
}

/// <summary>One registered work a suspect matches, with the evidence.</summary>
/// <param name="WorkId">The registered work.</param>
/// <param name="Grade">How it matches.</param>
/// <param name="Score">0–1, higher is surer: 1 − distance/64 for PDQ, the inlier share for local features.</param>
/// <param name="Variant">What matched, for people: "pdq original", "pdq flip-horizontal", "pdq inside-border", "features rotation 8.0° scale 1.00 region x=.. y=.. w=.. h=..".</param>
/// <param name="Distance">PDQ Hamming distance when PDQ matched, else null.</param>
/// <param name="Transform">The dihedral transform that matched (PDQ), else null.</param>
/// <param name="Alignment">The local-feature alignment when features matched, else null.</param>
public sealed record ImageMatch(string WorkId, ImageMatchGrade Grade, double Score, string Variant, int? Distance, Dihedral? Transform, FeatureAlignment? Alignment);

/// <summary>Thresholds of <see cref="ImageMatchIndex"/>.</summary>
public sealed record ImageMatchOptions
{
    /// <summary>PDQ distance up to which an untransformed match is near-exact.</summary>
    public int NearExactDistance { get; init; } = 10;

    /// <summary>PDQ distance up to which any variant matches (upstream's recommended 31).</summary>
    public int PdqRadius { get; init; } = 31;

    /// <summary>Descriptors of each registered image put in the retrieval index (the strongest first).</summary>
    public int IndexedFeatures { get; init; } = 128;

    /// <summary>Hamming radius for descriptor retrieval.</summary>
    public int FeatureRadius { get; init; } = 31;

    /// <summary>Distinct query descriptors that must hit a work before it is verified.</summary>
    public int MinVotes { get; init; } = 2;

    /// <summary>Works verified per query, most votes first.</summary>
    public int MaxVerified { get; init; } = 32;

    /// <summary>RANSAC inliers needed to accept a local-feature match.</summary>
    public int MinInliers { get; init; } = 24;

    /// <summary>A feature match showing less than this share of the registered image is a crop (partial).</summary>
    public double WholeShare { get; init; } = 0.9;

    /// <summary>A match whose registered image fills less than this share of the suspect is embedded (partial).</summary>
    public double EmbeddedShare { get; init; } = 0.5;
}

/// <summary>
/// The in-memory image match index: PDQ hashes (whole image and inside a border) in one exact
/// Hamming index, the strongest ORB descriptors of every work in another, and each work's
/// features for RANSAC verification. Rebuilt from stored fingerprints at start and kept current
/// with <see cref="Add"/> and <see cref="Remove"/>. Safe for concurrent queries with one writer.
/// </summary>
public sealed class ImageMatchIndex : IDisposable
{
    private readonly ImageMatchOptions _options;
    private readonly HammingIndex _pdq = new();
    private readonly HammingIndex _features = new();
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly List<Entry?> _entries = [];

    /// <summary>An empty index.</summary>
    public ImageMatchIndex(ImageMatchOptions? options = null)
    {
        _options = options ?? new ImageMatchOptions();
    }

    /// <summary>Number of works indexed.</summary>
    public int Count => _lock.Read(() => _slots.Count);

    /// <summary>Approximate bytes held by the two Hamming indexes (the per-work features come on top: about 40 bytes each).</summary>
    public long IndexMemoryBytes => _pdq.MemoryBytes + _features.MemoryBytes;

    /// <summary>Adds a work, replacing any earlier fingerprint of the same work.</summary>
    public void Add(string workId, ImageFingerprint fingerprint)
    {
        ArgumentException.ThrowIfNullOrEmpty(workId);
        ArgumentNullException.ThrowIfNull(fingerprint);
        _lock.EnterWriteLock();
        try
        {
            RemoveLocked(workId);
            var slot = _entries.Count;
            var handles = new List<int>();
            var featureHandles = new List<int>();
            if (!fingerprint.IsLowQuality)
            {
                handles.Add(_pdq.Add(fingerprint.Hash, Encode(slot, content: false)));
            }

            if (fingerprint.ContentPdq.Length == 8 && fingerprint.ContentQuality > PdqHasher.LowQualityMax)
            {
                handles.Add(_pdq.Add(fingerprint.ContentPdq[0], Encode(slot, content: true)));
            }

            var n = Math.Min(_options.IndexedFeatures, fingerprint.Features.Count);
            for (var i = 0; i < n; i++)
            {
                featureHandles.Add(_features.Add(fingerprint.Features.Descriptors[i], slot));
            }

            _entries.Add(new Entry(workId, fingerprint, handles, featureHandles));
            _slots[workId] = slot;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes a work; false when it was not indexed.</summary>
    public bool Remove(string workId)
    {
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

    /// <summary>The registered works a suspect matches, best first (grade, then score).</summary>
    public IReadOnlyList<ImageMatch> Match(ImageFingerprint query)
    {
        ArgumentNullException.ThrowIfNull(query);
        _lock.EnterReadLock();
        try
        {
            var best = new Dictionary<int, ImageMatch>();
            MatchPdq(query, best);
            MatchFeatures(query, best);
            return [.. best.Values.OrderBy(m => m.Grade).ThenByDescending(m => m.Score).ThenBy(m => m.WorkId, StringComparer.Ordinal)];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _pdq.Dispose();
        _features.Dispose();
        _lock.Dispose();
    }

    private void MatchPdq(ImageFingerprint query, Dictionary<int, ImageMatch> best)
    {
        var hits = new List<HammingHit>();
        // The whole suspect, then the picture inside its border; each against whole and inside-border registrations.
        for (var side = 0; side < 2; side++)
        {
            var fromContent = side == 1;
            var hashes = fromContent ? query.ContentPdq : query.Pdq;
            var quality = fromContent ? query.ContentQuality : query.Quality;
            if (hashes.Length != 8 || quality <= PdqHasher.LowQualityMax)
            {
                continue;
            }

            for (var t = 0; t < 8; t++)
            {
                hits.Clear();
                _pdq.Search(hashes[t], _options.PdqRadius, hits);
                foreach (var hit in hits)
                {
                    var (slot, registeredContent) = Decode(hit.Value);
                    var entry = _entries[slot]!;
                    var transform = (Dihedral)t;
                    var plain = transform == Dihedral.Original && !fromContent && !registeredContent;
                    var grade = plain && hit.Distance <= _options.NearExactDistance ? ImageMatchGrade.NearExact : ImageMatchGrade.Transformed;
                    if (fromContent && !registeredContent && query.Content is { } c && c.Width * c.Height < _options.EmbeddedShare)
                    {
                        grade = ImageMatchGrade.Partial;
                    }

                    var variant = "pdq " + transform.ToWire() + (fromContent ? " inside-border" : string.Empty) + (registeredContent ? " registered-inside-border" : string.Empty);
                    var score = Math.Clamp(1 - (hit.Distance / 64.0), 0, 1);
                    Keep(best, slot, new ImageMatch(entry.WorkId, grade, score, variant, hit.Distance, transform, null));
                }
            }
        }
    }

    private void MatchFeatures(ImageFingerprint query, Dictionary<int, ImageMatch> best)
    {
        var features = query.Features;
        if (features.Count < _options.MinInliers)
        {
            return;
        }

        var votes = new Dictionary<int, int>();
        var hits = new List<HammingHit>();
        var seen = new HashSet<int>();
        foreach (var descriptor in features.Descriptors)
        {
            hits.Clear();
            seen.Clear();
            _features.Search(descriptor, _options.FeatureRadius, hits);
            foreach (var hit in hits)
            {
                if (seen.Add(hit.Value))
                {
                    votes[hit.Value] = votes.GetValueOrDefault(hit.Value) + 1;
                }
            }
        }

        var candidates = votes.Where(v => v.Value >= _options.MinVotes && !(best.TryGetValue(v.Key, out var m) && m.Grade == ImageMatchGrade.NearExact))
            .OrderByDescending(v => v.Value).ThenBy(v => v.Key).Take(_options.MaxVerified);
        foreach (var (slot, _) in candidates)
        {
            var entry = _entries[slot]!;
            var alignment = LocalFeatures.Align(features, entry.Fingerprint.Features, _options.MinInliers);
            if (alignment is null)
            {
                continue;
            }

            var whole = alignment.RegisteredCovered >= _options.WholeShare;
            var embedded = alignment.QueryCovered < _options.EmbeddedShare;
            var grade = whole && !embedded ? ImageMatchGrade.Transformed : ImageMatchGrade.Partial;
            var score = Math.Clamp((double)alignment.Inliers / Math.Min(features.Count, entry.Fingerprint.Features.Count), 0, 1);
            var variant = FormattableString.Invariant(
                $"features rotation {alignment.RotationDegrees:F1}° scale {alignment.Scale:F2} region {alignment.Region} inliers {alignment.Inliers}");
            Keep(best, slot, new ImageMatch(entry.WorkId, grade, score, variant, null, null, alignment));
        }
    }

    private static void Keep(Dictionary<int, ImageMatch> best, int slot, ImageMatch match)
    {
        if (!best.TryGetValue(slot, out var current) || match.Grade < current.Grade || (match.Grade == current.Grade && match.Score > current.Score))
        {
            best[slot] = match;
        }
    }

    private bool RemoveLocked(string workId)
    {
        if (!_slots.Remove(workId, out var slot))
        {
            return false;
        }

        var entry = _entries[slot]!;
        foreach (var h in entry.PdqHandles)
        {
            _pdq.Remove(h);
        }

        foreach (var h in entry.FeatureHandles)
        {
            _features.Remove(h);
        }

        _entries[slot] = null;
        return true;
    }

    private static int Encode(int slot, bool content) => (slot << 1) | (content ? 1 : 0);

    private static (int Slot, bool Content) Decode(int value) => (value >> 1, (value & 1) != 0);

    private sealed record Entry(string WorkId, ImageFingerprint Fingerprint, List<int> PdqHandles, List<int> FeatureHandles);
}
