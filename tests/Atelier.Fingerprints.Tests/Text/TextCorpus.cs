namespace Atelier.Fingerprints.Tests.Text;

/// <summary>One document of the dev corpus (../shared/data/text/dev).</summary>
/// <param name="Id">The file name without extension, e.g. en-alice-01.</param>
/// <param name="Language">"en" or "zh".</param>
/// <param name="Traditional">True for the Traditional-script Chinese documents (zh-trad-*).</param>
/// <param name="Text">The UTF-8 text.</param>
public sealed record CorpusDocument(string Id, string Language, bool Traditional, string Text);

/// <summary>
/// The dev text corpus split for evaluation: originals to index, and whole works held out of the
/// index (Three Men in a Boat; 幽梦影 and 楚辞) that give suspects their unrelated host text and
/// serve as clean distractors. Shared with bench/Atelier.Bench.Text.
/// </summary>
public sealed class TextCorpus
{
    /// <summary>Works held out of the index, by file-name prefix.</summary>
    public static readonly string[] HeldOutPrefixes = ["en-threemeninaboat-", "zh-youmengying-", "zh-chuci-"];

    private TextCorpus(IReadOnlyList<CorpusDocument> originals, IReadOnlyList<CorpusDocument> heldOut)
    {
        Originals = originals;
        HeldOut = heldOut;
    }

    public IReadOnlyList<CorpusDocument> Originals { get; }

    public IReadOnlyList<CorpusDocument> HeldOut { get; }

    /// <summary>Loads the corpus from <paramref name="dev"/> (the folder holding en/ and zh/).</summary>
    public static TextCorpus Load(string dev)
    {
        var originals = new List<CorpusDocument>();
        var heldOut = new List<CorpusDocument>();
        foreach (var language in new[] { "en", "zh" })
        {
            foreach (var path in Directory.GetFiles(Path.Combine(dev, language), "*.txt").Order(StringComparer.Ordinal))
            {
                var id = Path.GetFileNameWithoutExtension(path);
                var doc = new CorpusDocument(id, language, id.StartsWith("zh-trad-", StringComparison.Ordinal), File.ReadAllText(path));
                (HeldOutPrefixes.Any(p => id.StartsWith(p, StringComparison.Ordinal)) ? heldOut : originals).Add(doc);
            }
        }

        if (originals.Count == 0 || heldOut.Count == 0)
        {
            throw new InvalidOperationException($"the text corpus in {dev} has no documents");
        }

        return new TextCorpus(originals, heldOut);
    }
}
