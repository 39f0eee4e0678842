namespace Atelier.Fingerprints.Text;

/// <summary>How a suspect text relates to an original. (Same bytes, <c>exact</c>, is decided by the catalog.)</summary>
public enum TextMatchGrade
{
    /// <summary>One or more passages copied literally (after normalisation).</summary>
    Partial = 0,

    /// <summary>Passages that align only approximately: edited words, reordered sentences.</summary>
    Transformed = 1,

    /// <summary>The whole document is equal to the original after normalisation.</summary>
    NearExact = 2,
}

/// <summary>A span of source text in UTF-16 units.</summary>
/// <param name="Start">Offset of the first unit.</param>
/// <param name="Length">Number of units.</param>
public readonly record struct TextSpan(int Start, int Length)
{
    /// <summary>Offset just past the span.</summary>
    public int End => Start + Length;
}

/// <summary>A copied passage: where it is in the suspect and where it came from in the original.</summary>
/// <param name="Suspect">The passage in the suspect text.</param>
/// <param name="Original">The passage in the original text.</param>
/// <param name="SharedFingerprints">Distinct fingerprints of the original found in the suspect passage.</param>
/// <param name="Coverage">Share of the original's fingerprints inside <paramref name="Original"/> that were found (1 for a literal copy).</param>
/// <param name="IsApproximate">True when the passage aligns only approximately (edited or reordered).</param>
public sealed record TextPassage(TextSpan Suspect, TextSpan Original, int SharedFingerprints, double Coverage, bool IsApproximate);

/// <summary>One original that a suspect text copies from.</summary>
/// <param name="WorkId">The original's id, as given to <see cref="TextIndex.Add"/>.</param>
/// <param name="Grade">How the suspect relates to the original.</param>
/// <param name="Score">1 for a near-exact copy, otherwise the larger of the two shares; orders the matches.</param>
/// <param name="SuspectShare">Share of the suspect's text (first to last token) inside copied passages.</param>
/// <param name="OriginalShare">Share of the original's text (first to last token) that was copied.</param>
/// <param name="DocumentSimilarity">MinHash estimate of the Jaccard similarity of the two documents' k-gram sets.</param>
/// <param name="Passages">The copied passages, in suspect order.</param>
public sealed record TextMatch(
    string WorkId,
    TextMatchGrade Grade,
    double Score,
    double SuspectShare,
    double OriginalShare,
    double DocumentSimilarity,
    IReadOnlyList<TextPassage> Passages);

/// <summary>A whole document similar to another, found through MinHash and LSH banding.</summary>
/// <param name="WorkId">The similar work.</param>
/// <param name="Similarity">MinHash estimate of the Jaccard similarity of the k-gram sets.</param>
/// <param name="SameContent">True when both are equal after normalisation.</param>
public sealed record TextNearDuplicate(string WorkId, double Similarity, bool SameContent);

/// <summary>How <see cref="TextIndex"/> finds and verifies matches; none of these are stored.</summary>
public sealed record TextMatchOptions
{
    /// <summary>The defaults, tuned on the dev corpus.</summary>
    public static TextMatchOptions Default { get; } = new();

    /// <summary>Distinct shared fingerprints a passage needs before it is reported.</summary>
    public int MinSharedFingerprints { get; init; } = 3;

    /// <summary>
    /// A fingerprint found more often than this in the index is treated as a common phrase and
    /// skipped: it is weak evidence and would make every lookup slow.
    /// </summary>
    public int MaxPostingsPerHash { get; init; } = 256;

    /// <summary>
    /// Most index hits gathered for one suspect (twelve bytes each); past it the rest of the suspect
    /// is not looked up. A book-length suspect stays far below it; match longer texts in parts.
    /// </summary>
    public int MaxHits { get; init; } = 4_000_000;

    /// <summary>How many candidate works (those sharing the most fingerprints) are verified.</summary>
    public int MaxCandidates { get; init; } = 100;

    /// <summary>Shortest passage reported, in k-grams of the suspect (2: ten words, or eighteen CJK characters).</summary>
    public int MinPassageGrams { get; init; } = 2;

    /// <summary>Largest gap, in k-grams, between two consecutive shared fingerprints of one passage.</summary>
    public int MaxGapGrams { get; init; } = 4;

    /// <summary>Coverage at or above which a single in-order chain counts as a literal copy.</summary>
    public double LiteralCoverage { get; init; } = 0.9;

    /// <summary>Bands of the LSH over MinHash signatures; must divide <see cref="TextFingerprintOptions.MinHashBins"/>.</summary>
    public int LshBands { get; init; } = 32;

    internal void Validate(TextFingerprintOptions fingerprints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MinSharedFingerprints, 1, nameof(MinSharedFingerprints));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPostingsPerHash, 1, nameof(MaxPostingsPerHash));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCandidates, 1, nameof(MaxCandidates));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHits, 1, nameof(MaxHits));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxGapGrams, 1, nameof(MaxGapGrams));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinPassageGrams, 1, nameof(MinPassageGrams));
        if (LiteralCoverage is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(LiteralCoverage), LiteralCoverage, "must be between 0 and 1");
        }

        if (LshBands < 1 || fingerprints.MinHashBins % LshBands != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LshBands), LshBands, $"must divide the {fingerprints.MinHashBins} MinHash bins");
        }
    }
}
