using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Atelier.Fingerprints.Text;

/// <summary>
/// Makes text fingerprints: normalise (<see cref="TextNormalizer"/>), tokenise (words, or single
/// CJK characters), hash every k-gram, winnow (<see cref="Winnowing"/>), and sign the whole
/// document (<see cref="MinHash"/>). Thread-safe; one instance serves the whole process.
/// </summary>
public sealed class TextFingerprinter
{
#pragma warning disable CA1810 // A platform check, not an initialiser.
    static TextFingerprinter()
#pragma warning restore CA1810
    {
        // Token hashes read UTF-16 as bytes and fingerprints are stored: the byte order is part of the format.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("text fingerprints are defined on little-endian machines only");
        }
    }

    /// <summary>Creates a fingerprinter.</summary>
    /// <param name="options">The options; <see cref="TextFingerprintOptions.Default"/> when null.</param>
    public TextFingerprinter(TextFingerprintOptions? options = null)
    {
        Options = options ?? TextFingerprintOptions.Default;
        Options.Validate();
    }

    /// <summary>The fingerprinter with the default options.</summary>
    public static TextFingerprinter Default { get; } = new();

    /// <summary>The options in use.</summary>
    public TextFingerprintOptions Options { get; }

    /// <summary>Fingerprints a text for storing and indexing.</summary>
    /// <exception cref="ArgumentException">The text is longer than <see cref="TextNormalizer.MaxSourceLength"/>.</exception>
    public TextFingerprintSet Fingerprint(ReadOnlySpan<char> text) => Run(text, keepGrams: false).Fingerprints;

    /// <summary>
    /// Fingerprints a suspect text for matching: the fingerprint set plus every k-gram (an index is
    /// searched with all of the suspect's k-grams, which finds each winnowed fingerprint of an
    /// original inside a copied passage).
    /// </summary>
    /// <exception cref="ArgumentException">The text is longer than <see cref="TextNormalizer.MaxSourceLength"/>.</exception>
    public TextAnalysis Analyze(ReadOnlySpan<char> text) => Run(text, keepGrams: true);

    private TextAnalysis Run(ReadOnlySpan<char> text, bool keepGrams)
    {
        TextNormalizer.CheckLength(text.Length);
        var tokens = TokenStream.Rent();
        var grams = GramBuffer.Rent();
        try
        {
            tokens.Tokenize(text);
            var gramCount = Winnowing.HashGrams(tokens, Options, grams);
            var gramHashes = grams.Hashes.AsSpan(0, gramCount);
            var selectedCount = Winnowing.Select(gramHashes, Options.Window, grams.Selected);
            var selected = grams.Selected.AsSpan(0, selectedCount);

            var hashes = new ulong[selectedCount];
            var positions = new int[selectedCount];
            var starts = new int[selectedCount];
            var lengths = new int[selectedCount];
            for (var i = 0; i < selected.Length; i++)
            {
                var g = selected[i];
                hashes[i] = grams.Hashes[g];
                positions[i] = grams.Units[g];
                starts[i] = grams.SourceStarts[g];
                lengths[i] = grams.SourceEnds[g] - grams.SourceStarts[g];
            }

            var signature = new uint[Options.MinHashBins];
            if (!MinHash.Compute(gramHashes, signature))
            {
                signature = [];
            }

            var n = tokens.Count;
            var statistics = new TextStatistics(
                text.Length,
                n,
                n == 0 ? 0 : grams.TokenUnits[n],
                n == 0 ? 0 : tokens.Starts[0],
                n == 0 ? 0 : tokens.Ends[n - 1]);
            var digest = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(tokens.Hashes.AsSpan(0, n)));
            var set = new TextFingerprintSet(Options, TextNormalizer.Version, statistics, digest, signature, hashes, positions, starts, lengths);
            return keepGrams
                ? new TextAnalysis(set, gramHashes.ToArray(), grams.Units.AsSpan(0, gramCount).ToArray(), grams.SourceStarts.AsSpan(0, gramCount).ToArray(), grams.SourceEnds.AsSpan(0, gramCount).ToArray())
                : new TextAnalysis(set, [], [], [], []);
        }
        finally
        {
            TokenStream.Return(tokens);
            GramBuffer.Return(grams);
        }
    }
}

/// <summary>
/// A suspect text ready for matching: its <see cref="TextFingerprintSet"/> and all of its k-grams
/// (hash, position in units, source span), in text order.
/// </summary>
public sealed class TextAnalysis
{
    private readonly ulong[] _gramHashes;
    private readonly int[] _gramPositions;
    private readonly int[] _gramStarts;
    private readonly int[] _gramEnds;

    internal TextAnalysis(TextFingerprintSet set, ulong[] gramHashes, int[] gramPositions, int[] gramStarts, int[] gramEnds)
    {
        Fingerprints = set;
        _gramHashes = gramHashes;
        _gramPositions = gramPositions;
        _gramStarts = gramStarts;
        _gramEnds = gramEnds;
    }

    /// <summary>The suspect's own fingerprint set (to store, or to compare as a document).</summary>
    public TextFingerprintSet Fingerprints { get; }

    /// <summary>Number of k-grams.</summary>
    public int GramCount => _gramHashes.Length;

    internal ReadOnlySpan<ulong> GramHashes => _gramHashes;

    internal ReadOnlySpan<int> GramPositions => _gramPositions;

    internal ReadOnlySpan<int> GramStarts => _gramStarts;

    internal ReadOnlySpan<int> GramEnds => _gramEnds;
}
