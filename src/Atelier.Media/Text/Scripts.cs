using System.Globalization;
using System.Text;

namespace Atelier.Media.Text;

/// <summary>The writing systems the language guess tells apart (Unicode block ranges, Unicode 15 Blocks.txt).</summary>
internal enum Script
{
    None,
    Han,
    Kana,
    Hangul,
    Latin,
    Cyrillic,
    Greek,
    Hebrew,
    Arabic,
    Thai,
    Other,
}

internal static class Scripts
{
    /// <summary>The script of a letter; <see cref="Script.None"/> for anything that is not a letter.</summary>
    public static Script Of(Rune rune)
    {
        var v = rune.Value;
        if (IsHan(v))
        {
            return Script.Han;
        }

        if (IsKana(v))
        {
            return Script.Kana;
        }

        if (IsHangul(v))
        {
            return Script.Hangul;
        }

        if (!Rune.IsLetter(rune))
        {
            return Script.None;
        }

        return v switch
        {
            < 0x0250 or (>= 0x1E00 and < 0x1F00) or (>= 0xFF21 and <= 0xFF5A) => Script.Latin,
            >= 0x0370 and < 0x0400 or >= 0x1F00 and < 0x2000 => Script.Greek,
            >= 0x0400 and < 0x0530 => Script.Cyrillic,
            >= 0x0590 and < 0x0600 => Script.Hebrew,
            >= 0x0600 and < 0x0780 or >= 0xFB50 and < 0xFE00 or >= 0xFE70 and < 0xFF00 => Script.Arabic,
            >= 0x0E00 and < 0x0E80 => Script.Thai,
            _ => Script.Other,
        };
    }

    /// <summary>A character that counts as one word by itself: a CJK ideograph, a kana or a Hangul syllable.</summary>
    public static bool IsCjkWordUnit(Rune rune) => IsHan(rune.Value) || IsKana(rune.Value) || IsHangul(rune.Value);

    /// <summary>Letters and digits, plus combining marks (accents written as separate code points).</summary>
    public static bool IsWordPart(Rune rune) =>
        Rune.IsLetterOrDigit(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    // CJK Unified Ideographs, Extension A, Compatibility Ideographs, Extensions B..H; 々 and 〇 act as ideographs.
    private static bool IsHan(int v) =>
        v is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0xF900 and <= 0xFAFF)
            or (>= 0x20000 and <= 0x323AF) or 0x3005 or 0x3007;

    // Hiragana, Katakana (with the prolonged sound mark), Katakana Phonetic Extensions, half-width Katakana,
    // Kana Supplement and Extended-A.
    private static bool IsKana(int v) =>
        v is (>= 0x3041 and <= 0x309F) or (>= 0x30A1 and <= 0x30FF) or (>= 0x31F0 and <= 0x31FF)
            or (>= 0xFF66 and <= 0xFF9D) or (>= 0x1B000 and <= 0x1B12F);

    // Hangul Syllables, Jamo and Compatibility Jamo.
    private static bool IsHangul(int v) =>
        v is (>= 0xAC00 and <= 0xD7A3) or (>= 0x1100 and <= 0x11FF) or (>= 0x3131 and <= 0x318E);
}
