using System.Text;

namespace Atelier.Media.Text;

/// <summary>
/// A cheap language guess: the dominant script of the letters decides (Han → Chinese, kana → Japanese,
/// Hangul → Korean, Cyrillic → Russian, Arabic → Arabic...), and Latin-script text is settled by a vote of
/// common function words among seven European languages. Returns BCP 47 tags, "und" when unsure.
/// </summary>
internal static class LanguageGuesser
{
    /// <summary>Only the start of long documents is looked at; the script mix does not change past it.</summary>
    private const int MaxChars = 200_000;

    private const int MaxVoteWords = 20_000;

    private static readonly (string Language, HashSet<string> Words)[] StopWords =
    [
        ("en", ["the", "and", "of", "to", "is", "was", "that", "it", "with", "for", "you", "his", "her", "he", "she", "they", "this", "but", "not", "have", "be", "are", "at", "which", "from", "had", "were", "would", "there", "their", "what", "been"]),
        ("fr", ["le", "les", "et", "est", "une", "un", "des", "du", "que", "qui", "dans", "pour", "pas", "sur", "au", "avec", "il", "elle", "ce", "ne", "je", "nous", "vous", "mais", "ont", "cette", "sont", "aux"]),
        ("de", ["der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "den", "von", "mit", "sich", "des", "auf", "für", "im", "dem", "auch", "es", "ich", "sie", "wir", "war", "wird", "werden"]),
        ("es", ["el", "los", "las", "y", "que", "en", "un", "una", "es", "por", "con", "no", "para", "del", "se", "lo", "como", "más", "pero", "su", "al", "sus", "fue", "está"]),
        ("it", ["il", "di", "che", "la", "per", "un", "una", "non", "del", "della", "sono", "è", "con", "gli", "le", "ma", "si", "nel", "lo", "ho", "anche", "questo"]),
        ("pt", ["o", "os", "as", "que", "e", "do", "da", "em", "um", "uma", "não", "para", "com", "se", "por", "no", "na", "mais", "dos", "das", "é", "ao", "foi"]),
        ("nl", ["de", "het", "een", "en", "van", "is", "dat", "op", "te", "niet", "zijn", "met", "voor", "die", "ik", "je", "er", "maar", "ook", "aan", "bij", "wat"]),
    ];

    public static string Guess(string text)
    {
        var counts = new int[Enum.GetValues<Script>().Length];
        foreach (var rune in text.AsSpan(0, Math.Min(text.Length, MaxChars)).EnumerateRunes())
        {
            counts[(int)Scripts.Of(rune)]++;
        }

        // Japanese mixes kanji with kana; Chinese has no kana. Count them together, then split by the kana share.
        var cjk = counts[(int)Script.Han] + counts[(int)Script.Kana];
        var dominant = Script.None;
        var best = 0;
        foreach (var script in Enum.GetValues<Script>())
        {
            var count = script switch
            {
                Script.None or Script.Kana => 0,
                Script.Han => cjk,
                _ => counts[(int)script],
            };
            if (count > best)
            {
                (dominant, best) = (script, count);
            }
        }

        return dominant switch
        {
            Script.Han when counts[(int)Script.Kana] * 10 >= cjk => "ja",
            Script.Han => HanVariants.Classify(text, MaxChars),
            Script.Hangul => "ko",
            Script.Cyrillic => "ru",
            Script.Arabic => "ar",
            Script.Greek => "el",
            Script.Hebrew => "he",
            Script.Thai => "th",
            Script.Latin => VoteLatin(text),
            _ => "und",
        };
    }

    /// <summary>Each word of a language's list counts one vote; the winner needs 5 votes and a 25% lead.</summary>
    private static string VoteLatin(string text)
    {
        var votes = new int[StopWords.Length];
        var word = new StringBuilder();
        var seen = 0;
        foreach (var rune in text.AsSpan(0, Math.Min(text.Length, MaxChars)).EnumerateRunes())
        {
            if (Rune.IsLetter(rune))
            {
                word.Append(Rune.ToLowerInvariant(rune).ToString());
                continue;
            }

            if (word.Length > 0)
            {
                Vote(word.ToString(), votes);
                word.Clear();
                if (++seen >= MaxVoteWords)
                {
                    break;
                }
            }
        }

        if (word.Length > 0)
        {
            Vote(word.ToString(), votes);
        }

        var order = Enumerable.Range(0, votes.Length).OrderByDescending(i => votes[i]).ToArray();
        var (first, second) = (votes[order[0]], votes[order[1]]);
        return first >= 5 && first * 4 > second * 5 ? StopWords[order[0]].Language : "und";
    }

    private static void Vote(string word, int[] votes)
    {
        for (var i = 0; i < StopWords.Length; i++)
        {
            if (StopWords[i].Words.Contains(word))
            {
                votes[i]++;
            }
        }
    }
}
