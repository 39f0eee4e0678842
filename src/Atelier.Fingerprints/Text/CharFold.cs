using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Atelier.Fingerprints.Text;

/// <summary>What a folded character is to the tokenizer.</summary>
internal enum CharClass : byte
{
    /// <summary>Whitespace, punctuation, symbols, controls, unassigned: ends a word and is dropped.</summary>
    Separator = 0,

    /// <summary>A letter or digit of a space-separated script: part of a word token.</summary>
    Word = 1,

    /// <summary>A Han, kana or hangul character: a token on its own.</summary>
    Cjk = 2,

    /// <summary>Format characters and combining marks: dropped without ending a word.</summary>
    Ignorable = 3,

    /// <summary>An apostrophe: dropped inside a word (don't = dont), a separator elsewhere.</summary>
    Apostrophe = 4,

    /// <summary>Only in the BMP table: a surrogate, decoded as a pair on the slow path.</summary>
    Surrogate = 5,
}

/// <summary>
/// The per-character fold behind <see cref="TextNormalizer"/>: Unicode NFKC (UAX #15), lower-case
/// mapping plus the full case foldings .NET's lower-casing lacks (ß, final sigma; Unicode
/// CaseFolding.txt), combining marks removed, and Traditional/Simplified Chinese folded by
/// <see cref="HanFold"/>. It is computed once per code point and kept in a table, so normalising
/// runs at table-lookup speed.
/// </summary>
/// <remarks>
/// Folding character by character cannot compose "e" + U+0301 into "é" the way NFKC does over a
/// string; dropping combining marks (after a canonical decomposition) makes the composed and the
/// decomposed spellings fold alike, and treats accent edits as formatting. Hangul syllables are
/// kept whole (their canonical decomposition into jamo is not a mark removal). Halfwidth katakana
/// voicing marks become combining marks under NFKC and are dropped the same way as on the fullwidth
/// forms, so both widths fold alike.
/// </remarks>
internal static class CharFold
{
    // BMP entry layout: bits 0-15 the folded character, or for an expansion its offset in Pool;
    // bits 16-23 the expansion length; bits 24-27 the class; bit 28 marks an expansion.
    public const uint ExpansionFlag = 1u << 28;

    private static readonly ConcurrentDictionary<int, Expansion> Supplementary = new();

    public static readonly uint[] Bmp;
    public static readonly char[] Pool;
    public static readonly CharClass[] PoolClasses;

#pragma warning disable CA1810 // The three tables are built together in one pass.
    static CharFold()
#pragma warning restore CA1810
    {
        var bmp = new uint[0x10000];
        var pool = new List<char>(4096);
        var poolClasses = new List<CharClass>(4096);
        for (var cp = 0; cp < 0x10000; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF)
            {
                bmp[cp] = (uint)CharClass.Surrogate << 24;
                continue;
            }

            var folded = FoldCodePoint(cp);
            if (folded.Text.Length == 0)
            {
                bmp[cp] = (uint)CharClass.Ignorable << 24;
            }
            else if (folded.Text.Length == 1)
            {
                bmp[cp] = folded.Text[0] | ((uint)folded.Classes[0] << 24);
            }
            else
            {
                if (pool.Count > 0xFFFF || folded.Text.Length > 0xFF)
                {
                    throw new InvalidOperationException("the fold expansion pool outgrew its 16-bit offsets");
                }

                bmp[cp] = (uint)pool.Count | ((uint)folded.Text.Length << 16) | ExpansionFlag;
                pool.AddRange(folded.Text);
                poolClasses.AddRange(folded.Classes);
            }
        }

        Bmp = bmp;
        Pool = [.. pool];
        PoolClasses = [.. poolClasses];
    }

    /// <summary>A folded code point: its text and one class per UTF-16 unit (both halves of a pair share one).</summary>
    public sealed record Expansion(string Text, CharClass[] Classes);

    /// <summary>The fold of a supplementary-plane code point (cached: Han extension B and later are common in classical texts).</summary>
    public static Expansion FoldSupplementary(int codePoint) => Supplementary.GetOrAdd(codePoint, FoldCodePoint);

    /// <summary>Folds one code point to its fixed point, with the class of each output unit.</summary>
    public static Expansion FoldCodePoint(int codePoint)
    {
        var text = char.ConvertFromUtf32(codePoint);
        var category = CharUnicodeInfo.GetUnicodeCategory(codePoint);
        if (category is not (UnicodeCategory.Control or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate))
        {
            // Each step is idempotent, but one step's output can feed an earlier one (a compatibility
            // character whose lower case has a decomposition), so run them to a fixed point.
            for (var round = 0; round < 4; round++)
            {
                var next = FoldOnce(text);
                if (next == text)
                {
                    break;
                }

                text = next;
            }
        }

        var classes = new CharClass[text.Length];
        for (var i = 0; i < text.Length;)
        {
            var rune = Rune.GetRuneAt(text, i);
            var cls = Classify(rune);
            for (var j = 0; j < rune.Utf16SequenceLength; j++)
            {
                classes[i + j] = cls;
            }

            i += rune.Utf16SequenceLength;
        }

        return new Expansion(text, classes);
    }

    /// <summary>The class of an already folded character.</summary>
    public static CharClass Classify(Rune rune)
    {
        var cp = rune.Value;
        if (cp is 0x27 or 0x2019 or 0x02BC)
        {
            return CharClass.Apostrophe;
        }

        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
            case UnicodeCategory.SpacingCombiningMark:
                return IsCjk(cp) ? CharClass.Cjk : CharClass.Word;
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.Format:
                return CharClass.Ignorable;
            default:
                return CharClass.Separator;
        }
    }

    /// <summary>Scripts written without spaces between words, where each character is a token.</summary>
    public static bool IsCjk(int cp) =>
        cp is (>= 0x1100 and <= 0x11FF) // Hangul jamo
            or (>= 0x3005 and <= 0x3007) // 々 〆 〇
            or (>= 0x3021 and <= 0x3029) // Hangzhou numerals
            or (>= 0x3031 and <= 0x3035) // kana repeat marks
            or (>= 0x3038 and <= 0x303C)
            or (>= 0x3040 and <= 0x30FF) // hiragana, katakana
            or (>= 0x3100 and <= 0x31BF) // bopomofo, hangul compatibility jamo
            or (>= 0x31F0 and <= 0x31FF) // katakana phonetic extensions
            or (>= 0x3400 and <= 0x4DBF) // Han extension A
            or (>= 0x4E00 and <= 0x9FFF) // Han
            or (>= 0xA960 and <= 0xA97F) // Hangul jamo extended A
            or (>= 0xAC00 and <= 0xD7FF) // Hangul syllables, jamo extended B
            or (>= 0xF900 and <= 0xFAFF) // Han compatibility
            or (>= 0xFF66 and <= 0xFFDC) // halfwidth katakana and hangul
            or (>= 0x1B000 and <= 0x1B2FF) // kana supplement and extensions
            or (>= 0x20000 and <= 0x3FFFF); // Han extensions B and later

    private static string FoldOnce(string text)
    {
        string compatible;
        try
        {
            compatible = text.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            // Noncharacters have no normal form; they fold to themselves (and classify as separators).
            return text;
        }

        var lower = compatible.ToLowerInvariant();
        if (lower.Contains('ß', StringComparison.Ordinal) || lower.Contains('ς', StringComparison.Ordinal))
        {
            lower = lower.Replace("ß", "ss", StringComparison.Ordinal).Replace('ς', 'σ');
        }

        var sb = new StringBuilder(lower.Length);
        foreach (var rune in lower.EnumerateRunes())
        {
            if (rune.Value is >= 0xAC00 and <= 0xD7A3)
            {
                sb.Append(rune.ToString());
                continue;
            }

            foreach (var part in rune.ToString().Normalize(NormalizationForm.FormD).EnumerateRunes())
            {
                var category = Rune.GetUnicodeCategory(part);
                if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)
                {
                    continue;
                }

                var folded = HanFold.Fold(part.Value);
                sb.Append(char.ConvertFromUtf32(folded));
            }
        }

        return sb.ToString();
    }
}
