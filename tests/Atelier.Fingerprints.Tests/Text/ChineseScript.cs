using System.Text;

namespace Atelier.Fingerprints.Tests.Text;

/// <summary>
/// Converts Chinese between Simplified and Traditional script the way a converter would, from
/// OpenCC's own STCharacters table (Data/opencc-st-characters.txt, Apache-2.0; see
/// src/Atelier.Fingerprints/Text/Data/NOTICE). Simplified to Traditional picks any of a character's
/// Traditional candidates (a phrase-aware converter picks by context: 发 becomes 發 or 髮), so the
/// test does not merely replay the fold the library uses; Traditional to Simplified uses the table
/// in reverse. Shared with bench/Atelier.Bench.Text.
/// </summary>
public static class ChineseScript
{
    private static readonly Lazy<(Dictionary<int, int[]> ToTraditional, Dictionary<int, int> ToSimplified)> Tables = new(Load);

    // Embedded in the test and benchmark assemblies under this name.
    private const string ResourceName = "Atelier.Fingerprints.Tests.Text.opencc-st-characters.txt";

    public static string ToTraditional(string text, Random random)
    {
        var table = Tables.Value.ToTraditional;
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            sb.Append(table.TryGetValue(rune.Value, out var candidates)
                ? char.ConvertFromUtf32(candidates[random.Next(candidates.Length)])
                : rune.ToString());
        }

        return sb.ToString();
    }

    public static string ToSimplified(string text)
    {
        var table = Tables.Value.ToSimplified;
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            sb.Append(table.TryGetValue(rune.Value, out var simplified) ? char.ConvertFromUtf32(simplified) : rune.ToString());
        }

        return sb.ToString();
    }

    private static (Dictionary<int, int[]>, Dictionary<int, int>) Load()
    {
        var toTraditional = new Dictionary<int, int[]>();
        var toSimplified = new Dictionary<int, int>();
        using var stream = typeof(ChineseScript).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split('\t');
            var simplified = char.ConvertToUtf32(parts[0], 0);
            var candidates = parts[1].Split(' ').Select(c => char.ConvertToUtf32(c, 0)).ToArray();
            toTraditional[simplified] = candidates;
            foreach (var traditional in candidates)
            {
                // A character that is its own Simplified form stays; otherwise the first Simplified
                // character listing it wins.
                if (traditional != simplified && !toTraditional.ContainsKey(traditional))
                {
                    toSimplified.TryAdd(traditional, simplified);
                }
            }
        }

        // Characters listed as Simplified keys are valid Simplified text: never convert them away.
        foreach (var key in toTraditional.Keys)
        {
            toSimplified.Remove(key);
        }

        return (toTraditional, toSimplified);
    }
}
