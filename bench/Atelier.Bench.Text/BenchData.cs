using System.Text;
using Atelier.Fingerprints.Tests.Text;

namespace Atelier.Bench.Text;

/// <summary>
/// The dev text corpus (../shared/data/text/dev, or ATELIER_SHARED) and text synthesised from it:
/// first-order Markov text, English and Chinese in the corpus' proportion by bytes (4 to 1).
/// </summary>
public static class BenchData
{
    private static readonly Lazy<(string[] English, string[] Chinese)> Corpus = new(Load);
    private static readonly Lazy<MarkovText> EnglishModel = new(() => MarkovText.TrainWords(Corpus.Value.English));
    private static readonly Lazy<MarkovText> ChineseModel = new(() => MarkovText.TrainCharacters(Corpus.Value.Chinese));

    /// <summary>The dev corpus folder (holding en/ and zh/).</summary>
    public static string DevDirectory => Path.Combine(SharedRoot(), "data", "text", "dev");

    public static string[] English => Corpus.Value.English;

    public static string[] Chinese => Corpus.Value.Chinese;

    /// <summary>Synthetic document <paramref name="id"/> (non-negative) of about <paramref name="bytes"/> UTF-8 bytes; the same text every time.</summary>
    public static string Document(int id, int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        var random = new Random(id);
        var sb = new StringBuilder(bytes);
        if (IsChinese(id))
        {
            // Three UTF-8 bytes per Han character.
            ChineseModel.Value.Generate(random, bytes / 3, sb);
        }
        else
        {
            EnglishModel.Value.Generate(random, bytes, sb);
        }

        return sb.ToString();
    }

    public static bool IsChinese(int id) => id % 5 == 0;

    private static (string[], string[]) Load()
    {
        var dev = DevDirectory;
        if (!Directory.Exists(dev))
        {
            throw new DirectoryNotFoundException($"the text corpus is not at {dev}; set ATELIER_SHARED to the shared data folder");
        }

        string[] Read(string language) =>
            [.. Directory.GetFiles(Path.Combine(dev, language), "*.txt").Order(StringComparer.Ordinal).Select(File.ReadAllText)];
        return (Read("en"), Read("zh"));
    }

    private static string SharedRoot() =>
        Atelier.Testing.SharedData.Directory ?? throw new DirectoryNotFoundException("no ../shared beside the repository; set ATELIER_SHARED to the shared data folder");
}
