namespace Atelier.Fingerprints.Text;

/// <summary>
/// How text fingerprints are made. Every value here is recorded in each
/// <see cref="TextFingerprintSet"/>; an index only takes sets made with its own options, since
/// fingerprints made otherwise cannot meet. The defaults were chosen by measurement on the dev corpus
/// (see the evaluation tests and bench/Atelier.Bench.Text).
/// </summary>
public sealed record TextFingerprintOptions
{
    /// <summary>The options the catalog uses.</summary>
    public static TextFingerprintOptions Default { get; } = new();

    /// <summary>Tokens in a k-gram of words (space-separated scripts): the noise threshold in words.</summary>
    public int WordGram { get; init; } = 5;

    /// <summary>Tokens in a k-gram of CJK characters, each character being a token.</summary>
    public int CjkGram { get; init; } = 7;

    /// <summary>
    /// Winnowing window, in k-grams: any shared run of Window + gram − 1 tokens yields a shared
    /// fingerprint, and about 2 / (Window + 1) of the k-grams are kept.
    /// </summary>
    public int Window { get; init; } = 4;

    /// <summary>Bins of the one-permutation MinHash signature of the whole document.</summary>
    public int MinHashBins { get; init; } = 128;

    /// <summary>A k-gram's length in units, where a word weighs <see cref="CjkGram"/> and a CJK character <see cref="WordGram"/>.</summary>
    internal int GramUnits => WordGram * CjkGram;

    internal void Validate()
    {
        if (WordGram is < 1 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(WordGram), WordGram, "must be between 1 and 32");
        }

        if (CjkGram is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(CjkGram), CjkGram, "must be between 1 and 64");
        }

        if (Window is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, "must be between 1 and 64");
        }

        if (MinHashBins is < 8 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MinHashBins), MinHashBins, "must be between 8 and 1024");
        }
    }
}
