using System.Text;
using Atelier.Fingerprints.Text;

namespace Atelier.Fingerprints.Tests.Text;

/// <summary>
/// First-order Markov text trained on a corpus: words (with their punctuation) for English,
/// characters for Chinese. It has the corpus' vocabulary and local word order, which makes it a
/// cheap source of realistic text in bulk for benchmarks and a hard distractor for matching.
/// Shared with bench/Atelier.Bench.Text.
/// </summary>
/// <remarks>
/// A first-order model still copies: a rare word has one successor, so runs of rare words come out
/// verbatim. With <c>maxCopiedRun</c> set, generation refuses any token that would reproduce more
/// than that many consecutive normalised tokens of the training text, so the output shares only
/// short phrases with it and copies nothing.
/// </remarks>
public sealed class MarkovText
{
    private readonly string[] _tokens;
    private readonly int[][] _normalized;
    private readonly int[] _successorStart;
    private readonly int[] _successors;
    private readonly bool _characters;
    private readonly int _maxRun;
    private readonly HashSet<ulong> _forbidden;

    private MarkovText(string[] tokens, int[][] normalized, int[] successorStart, int[] successors, bool characters, int maxRun, HashSet<ulong> forbidden)
    {
        _tokens = tokens;
        _normalized = normalized;
        _successorStart = successorStart;
        _successors = successors;
        _characters = characters;
        _maxRun = maxRun;
        _forbidden = forbidden;
    }

    /// <summary>A word model: tokens are whitespace-separated words, punctuation attached.</summary>
    public static MarkovText TrainWords(IEnumerable<string> texts, int maxCopiedRun = 0) =>
        Train(texts.Select(t => t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), characters: false, maxCopiedRun);

    /// <summary>A character model: tokens are the non-whitespace characters (for CJK text).</summary>
    public static MarkovText TrainCharacters(IEnumerable<string> texts, int maxCopiedRun = 0) =>
        Train(texts.Select(t => t.EnumerateRunes().Where(r => !Rune.IsWhiteSpace(r)).Select(r => r.ToString()).ToArray()), characters: true, maxCopiedRun);

    /// <summary>Appends about <paramref name="length"/> characters of text to <paramref name="output"/>.</summary>
    public void Generate(Random random, int length, StringBuilder output)
    {
        var target = output.Length + length;
        var token = random.Next(_tokens.Length);
        var recent = new List<int>();
        var sinceBreak = 0;
        while (output.Length < target)
        {
            output.Append(_tokens[token]);
            if (!_characters)
            {
                output.Append(' ');
            }

            // Paragraph breaks keep the text looking like the corpus (and exercise separators).
            if (++sinceBreak > 40 && random.Next(60) == 0)
            {
                output.Append('\n');
                sinceBreak = 0;
            }

            if (_maxRun > 0)
            {
                recent.AddRange(_normalized[token]);
                if (recent.Count > _maxRun)
                {
                    recent.RemoveRange(0, recent.Count - _maxRun);
                }
            }

            token = Next(random, token, recent);
        }
    }

    /// <summary>About <paramref name="length"/> characters of text.</summary>
    public string Generate(Random random, int length)
    {
        var sb = new StringBuilder(length + 16);
        Generate(random, length, sb);
        return sb.ToString();
    }

    private int Next(Random random, int token, List<int> recent)
    {
        var from = _successorStart[token];
        var count = _successorStart[token + 1] - from;
        if (_maxRun == 0)
        {
            return count == 0 ? random.Next(_tokens.Length) : _successors[from + random.Next(count)];
        }

        // Try the successors from a random starting point, then random tokens, until one copies nothing.
        var offset = count == 0 ? 0 : random.Next(count);
        for (var i = 0; i < count; i++)
        {
            var candidate = _successors[from + ((offset + i) % count)];
            if (!CopiesRun(recent, candidate))
            {
                return candidate;
            }
        }

        while (true)
        {
            var candidate = random.Next(_tokens.Length);
            if (!CopiesRun(recent, candidate))
            {
                return candidate;
            }
        }
    }

    private bool CopiesRun(List<int> recent, int candidate)
    {
        var window = new List<int>(recent);
        foreach (var id in _normalized[candidate])
        {
            window.Add(id);
            if (window.Count > _maxRun && _forbidden.Contains(RunKey(window, window.Count - _maxRun - 1)))
            {
                return true;
            }
        }

        return false;
    }

    private static ulong RunKey(List<int> ids, int start)
    {
        var h = 0xCBF29CE484222325UL;
        for (var i = start; i < ids.Count; i++)
        {
            h = (h ^ (uint)ids[i]) * 0x100000001B3UL;
        }

        return h;
    }

    private static MarkovText Train(IEnumerable<string[]> documents, bool characters, int maxRun)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var normalizedIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokens = new List<string>();
        var normalized = new List<int[]>();
        var pairs = new List<(int From, int To)>();
        var forbidden = new HashSet<ulong>();
        foreach (var doc in documents)
        {
            var previous = -1;
            var stream = new List<int>();
            foreach (var token in doc)
            {
                if (!ids.TryGetValue(token, out var id))
                {
                    id = tokens.Count;
                    ids.Add(token, id);
                    tokens.Add(token);
                    var words = characters
                        ? TextNormalizer.NormalizeToString(token).EnumerateRunes().Select(r => r.ToString())
                        : TextNormalizer.NormalizeToString(token).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    normalized.Add([.. words.Select(w => normalizedIds.TryGetValue(w, out var n) ? n : normalizedIds[w] = normalizedIds.Count)]);
                }

                if (previous >= 0)
                {
                    pairs.Add((previous, id));
                }

                previous = id;
                stream.AddRange(normalized[id]);
            }

            // Every run of maxRun + 1 normalised tokens of the training text is forbidden output.
            for (var i = 0; maxRun > 0 && i + maxRun + 1 <= stream.Count; i++)
            {
                forbidden.Add(RunKey(stream.GetRange(i, maxRun + 1), 0));
            }
        }

        if (tokens.Count == 0)
        {
            throw new ArgumentException("cannot train a Markov model on empty text", nameof(documents));
        }

        // Successor lists in one array (CSR), duplicates kept so frequent transitions stay frequent.
        pairs.Sort();
        var start = new int[tokens.Count + 1];
        foreach (var (from, _) in pairs)
        {
            start[from + 1]++;
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            start[i + 1] += start[i];
        }

        return new MarkovText([.. tokens], [.. normalized], start, [.. pairs.Select(p => p.To)], characters, maxRun, forbidden);
    }
}
