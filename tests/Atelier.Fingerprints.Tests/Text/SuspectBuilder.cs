using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Atelier.Fingerprints.Text;

namespace Atelier.Fingerprints.Tests.Text;

/// <summary>The edits applied to a copied passage.</summary>
public enum PassageEdit
{
    Verbatim,

    /// <summary>Whitespace, punctuation and case changed (English); punctuation changed (Chinese).</summary>
    Formatting,

    /// <summary>About 10% of the words (Chinese: characters) replaced or deleted.</summary>
    Words,

    /// <summary>The passage's sentences in another order.</summary>
    Shuffled,

    /// <summary>Chinese converted between Simplified and Traditional script.</summary>
    Script,
}

/// <summary>A suspect: unrelated host text with one copied, edited passage of a known original.</summary>
public sealed record SuspectCase(string Category, string Language, PassageEdit Edit, string Text, string SourceId, TextSpan SuspectSpan, TextSpan OriginalSpan);

/// <summary>A clean text that copies nothing from the index.</summary>
public sealed record Distractor(string Name, string Text);

/// <summary>
/// Builds the evaluation's suspects and distractors deterministically from a seed: passages of
/// 200–800 characters cut from indexed originals at word (or character) boundaries, edited, and
/// embedded in text from the held-out works.
/// </summary>
public sealed partial class SuspectBuilder
{
    private const int MinPassage = 200;
    private const int MaxPassage = 800;

    private readonly TextCorpus _corpus;
    private readonly Random _random;
    private readonly string[] _englishVocabulary;
    private readonly string[] _chineseCharacters;

    public SuspectBuilder(TextCorpus corpus, int seed)
    {
        _corpus = corpus;
        _random = new Random(seed);
        var heldOutEnglish = string.Join(' ', corpus.HeldOut.Where(d => d.Language == "en").Select(d => d.Text));
        _englishVocabulary = [.. WordPattern().Matches(heldOutEnglish).Select(m => m.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _chineseCharacters = [.. corpus.HeldOut.Where(d => d.Language == "zh").SelectMany(d => d.Text.EnumerateRunes())
            .Where(r => Rune.GetUnicodeCategory(r) == UnicodeCategory.OtherLetter).Select(r => r.ToString()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The categories of the evaluation: language and edit.</summary>
    public static IReadOnlyList<(string Language, PassageEdit Edit)> Categories { get; } =
    [
        ("en", PassageEdit.Verbatim), ("en", PassageEdit.Formatting), ("en", PassageEdit.Words), ("en", PassageEdit.Shuffled),
        ("zh", PassageEdit.Verbatim), ("zh", PassageEdit.Formatting), ("zh", PassageEdit.Words), ("zh", PassageEdit.Shuffled), ("zh", PassageEdit.Script),
    ];

    public static string CategoryName(string language, PassageEdit edit) => $"{language} {edit.ToString().ToLowerInvariant()}";

    /// <summary>Builds <paramref name="count"/> suspects of one category.</summary>
    public List<SuspectCase> Build(string language, PassageEdit edit, int count)
    {
        var sources = _corpus.Originals.Where(d => d.Language == language).ToList();
        var cases = new List<SuspectCase>(count);
        while (cases.Count < count)
        {
            var source = sources[_random.Next(sources.Count)];
            var span = edit == PassageEdit.Shuffled ? PickSentences(source) : PickPassage(source);
            if (span is not { } original)
            {
                continue;
            }

            var passage = source.Text.Substring(original.Start, original.Length);
            var edited = Edit(passage, language, edit, source.Traditional).Trim();
            var (text, suspectSpan) = Embed(edited, language);
            cases.Add(new SuspectCase(CategoryName(language, edit), language, edit, text, source.Id, suspectSpan, original));
        }

        return cases;
    }

    /// <summary>
    /// Clean texts: the held-out documents; Markov text trained on them; and Markov text trained on
    /// the indexed originals that shares their phrases but never more than a few words in a row (7
    /// words, 11 characters: below the length at which winnowing guarantees a shared fingerprint).
    /// </summary>
    public List<Distractor> Distractors(int markovPerLanguage)
    {
        var list = _corpus.HeldOut.Select(d => new Distractor("held-out " + d.Id, d.Text)).ToList();
        var models = new (string Name, MarkovText Model, int Min, int Max)[]
        {
            ("markov held-out en", MarkovText.TrainWords(Texts(_corpus.HeldOut, "en")), 2000, 6000),
            ("markov held-out zh", MarkovText.TrainCharacters(Texts(_corpus.HeldOut, "zh")), 800, 3000),
            ("markov phrases en", MarkovText.TrainWords(Texts(_corpus.Originals, "en"), maxCopiedRun: 7), 2000, 6000),
            ("markov phrases zh", MarkovText.TrainCharacters(Texts(_corpus.Originals, "zh"), maxCopiedRun: 11), 800, 3000),
        };
        foreach (var (name, model, min, max) in models)
        {
            for (var i = 0; i < markovPerLanguage; i++)
            {
                list.Add(new Distractor($"{name} {i}", model.Generate(_random, _random.Next(min, max))));
            }
        }

        return list;
    }

    private static IEnumerable<string> Texts(IEnumerable<CorpusDocument> docs, string language) =>
        docs.Where(d => d.Language == language).Select(d => d.Text);

    private TextSpan? PickPassage(CorpusDocument source)
    {
        var text = source.Text;
        var length = _random.Next(MinPassage, MaxPassage + 1);
        if (text.Length < length + 20)
        {
            return null;
        }

        var start = _random.Next(0, text.Length - length);
        var end = start + length;
        if (source.Language == "en")
        {
            // Start at the beginning of a word and end at the end of one.
            while (start < text.Length && !(char.IsLetterOrDigit(text[start]) && (start == 0 || char.IsWhiteSpace(text[start - 1]))))
            {
                start++;
            }

            while (end > start && !(char.IsLetterOrDigit(text[end - 1]) && (end == text.Length || !char.IsLetterOrDigit(text[end]))))
            {
                end--;
            }
        }
        else
        {
            while (start < text.Length && !IsHan(text, start))
            {
                start++;
            }

            while (end > start && !IsHan(text, end - 1))
            {
                end--;
            }

            if (end < text.Length && char.IsLowSurrogate(text[end]))
            {
                end++;
            }
        }

        return end - start >= MinPassage ? new TextSpan(start, end - start) : null;
    }

    private TextSpan? PickSentences(CorpusDocument source)
    {
        var sentences = Sentences(source.Text, source.Language);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var first = _random.Next(sentences.Count);
            var last = first;
            while (last < sentences.Count && (sentences[last].End - sentences[first].Start < MinPassage || last - first < 2))
            {
                last++;
            }

            if (last < sentences.Count && sentences[last].End - sentences[first].Start <= MaxPassage)
            {
                return new TextSpan(sentences[first].Start, sentences[last].End - sentences[first].Start);
            }
        }

        return null;
    }

    /// <summary>Sentence spans: ended by . ! ? (English) or 。！？； (Chinese) with closing quotes, or a line break.</summary>
    private static List<TextSpan> Sentences(string text, string language)
    {
        var pattern = language == "en" ? EnglishSentence() : ChineseSentence();
        return [.. pattern.Matches(text).Select(m => TrimSpan(text, m.Index, m.Length)).Where(s => s.Length > 0)];
    }

    private static TextSpan TrimSpan(string text, int start, int length)
    {
        var end = start + length;
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return new TextSpan(start, end - start);
    }

    private string Edit(string passage, string language, PassageEdit edit, bool traditional) => (language, edit) switch
    {
        (_, PassageEdit.Verbatim) => passage,
        ("en", PassageEdit.Formatting) => ReformatEnglish(passage),
        (_, PassageEdit.Formatting) => RepunctuateChinese(passage),
        ("en", PassageEdit.Words) => EditEnglishWords(passage),
        (_, PassageEdit.Words) => EditChineseCharacters(passage),
        (_, PassageEdit.Shuffled) => Shuffle(passage, language),
        (_, PassageEdit.Script) => traditional ? ChineseScript.ToSimplified(passage) : ChineseScript.ToTraditional(passage, _random),
        _ => throw new ArgumentOutOfRangeException(nameof(edit), edit, null),
    };

    private string ReformatEnglish(string passage)
    {
        var sb = new StringBuilder(passage.Length + 32);
        var caseMode = _random.Next(4); // 0 as is, 1 all lower, 2 all upper, 3 random words capitalised
        var wordStart = true;
        foreach (var c in passage)
        {
            var ch = caseMode switch
            {
                1 => char.ToLowerInvariant(c),
                2 => char.ToUpperInvariant(c),
                3 when wordStart && _random.Next(3) == 0 => char.ToUpperInvariant(c),
                _ => c,
            };
            wordStart = char.IsWhiteSpace(c);
            switch (ch)
            {
                case ' ' or '\n':
                    sb.Append(_random.Next(10) switch { 0 => "  ", 1 => "\n", 2 => " \t ", 3 => "\r\n", _ => " " });
                    break;
                case '‘' or '’':
                    sb.Append('\'');
                    break;
                case '“' or '”':
                    sb.Append('"');
                    break;
                case ',' or ';' or ':' when _random.Next(3) == 0:
                    break;
                case ',' when _random.Next(4) == 0:
                    sb.Append(" ,");
                    break;
                case '-' when _random.Next(2) == 0:
                    sb.Append('—');
                    break;
                case >= 'A' and <= 'Z' or >= 'a' and <= 'z' when _random.Next(30) == 0:
                    sb.Append((char)(ch + 0xFEE0)); // the fullwidth form
                    break;
                default:
                    sb.Append(ch);
                    break;
            }
        }

        return sb.ToString();
    }

    private string RepunctuateChinese(string passage)
    {
        var sb = new StringBuilder(passage.Length + 32);
        foreach (var c in passage)
        {
            switch (c)
            {
                case '，':
                    sb.Append(_random.Next(4) switch { 0 => ",", 1 => "、", 2 => " ", _ => "" });
                    break;
                case '。':
                    sb.Append(_random.Next(3) switch { 0 => ".", 1 => "！", _ => "。\n" });
                    break;
                case '“' or '「':
                    sb.Append(_random.Next(2) == 0 ? "『" : "\"");
                    break;
                case '”' or '」':
                    sb.Append(_random.Next(2) == 0 ? "』" : "\"");
                    break;
                case '：' or '；':
                    sb.Append(_random.Next(2) == 0 ? ":" : "，");
                    break;
                case '\n':
                    sb.Append(_random.Next(2) == 0 ? "" : " ");
                    break;
                default:
                    sb.Append(c);
                    if (_random.Next(25) == 0)
                    {
                        sb.Append(' ');
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    private string EditEnglishWords(string passage)
    {
        // Edit whole words (letters and apostrophes), leaving the punctuation and spacing around them.
        var result = WordPattern().Replace(passage, m => _random.Next(10) != 0
            ? m.Value
            : _random.Next(2) == 0 ? "\u0001" : _englishVocabulary[_random.Next(_englishVocabulary.Length)]);

        // A deleted word takes one neighbouring space with it.
        return result.Replace(" \u0001", string.Empty, StringComparison.Ordinal).Replace("\u0001", string.Empty, StringComparison.Ordinal);
    }

    private string EditChineseCharacters(string passage)
    {
        var sb = new StringBuilder(passage.Length);
        foreach (var rune in passage.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.OtherLetter || _random.Next(10) != 0)
            {
                sb.Append(rune.ToString());
            }
            else if (_random.Next(2) == 0)
            {
                sb.Append(_chineseCharacters[_random.Next(_chineseCharacters.Length)]);
            }
        }

        return sb.ToString();
    }

    private string Shuffle(string passage, string language)
    {
        var sentences = Sentences(passage, language).Select(s => passage.Substring(s.Start, s.Length)).ToList();
        var order = Enumerable.Range(0, sentences.Count).ToArray();
        while (sentences.Count > 1 && order.Select((v, i) => v == i).All(x => x))
        {
            _random.Shuffle(order);
        }

        return string.Join(language == "en" ? " " : string.Empty, order.Select(i => sentences[i]));
    }

    private (string Text, TextSpan Span) Embed(string passage, string language)
    {
        var hosts = _corpus.HeldOut.Where(d => d.Language == language).ToList();
        var host = hosts[_random.Next(hosts.Count)].Text;
        var length = Math.Min(host.Length, language == "en" ? _random.Next(1000, 3000) : _random.Next(400, 1500));
        var start = _random.Next(0, host.Length - length + 1);
        var cut = start + _random.Next(0, length + 1);
        var before = host[start..cut];
        var after = host[cut..(start + length)];
        var prefix = before + "\n\n";
        return (prefix + passage + "\n\n" + after, new TextSpan(prefix.Length, passage.Length));
    }

    private static bool IsHan(string text, int index) =>
        Rune.TryGetRuneAt(text, index, out var rune) && Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherLetter;

    [GeneratedRegex(@"\p{L}[\p{L}’']*\p{L}|\p{L}")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"[^.!?\n]+(?:[.!?]+[’”'""]?|\n|$)")]
    private static partial Regex EnglishSentence();

    [GeneratedRegex(@"[^。！？；\n]+(?:[。！？；]+[”」』]?|\n|$)")]
    private static partial Regex ChineseSentence();
}
