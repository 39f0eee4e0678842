using System.Text;

namespace Atelier.Storage.Sql;

/// <summary>
/// Case-insensitive title search that works beyond ASCII. SQLite's <c>lower()</c> and <c>LIKE</c> fold
/// ASCII only, so the fold is computed here, stored beside the title, and applied to the search text;
/// the database then only compares code points. NFKC first, so full-width Latin letters and CJK
/// compatibility ideographs match their ordinary forms.
/// </summary>
public static class TitleSearch
{
    /// <summary>The escape character of <see cref="ContainsPattern"/> (not a backslash, whose meaning in string literals varies).</summary>
    public const char LikeEscape = '!';

    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
    }

    /// <summary>A LIKE pattern (with <c>ESCAPE '!'</c>) matching folded titles that contain <paramref name="text"/> literally.</summary>
    public static string ContainsPattern(string text)
    {
        var folded = Fold(text);
        var pattern = new StringBuilder(folded.Length + 8).Append('%');
        foreach (var ch in folded)
        {
            if (ch is '%' or '_' or LikeEscape)
            {
                pattern.Append(LikeEscape);
            }

            pattern.Append(ch);
        }

        return pattern.Append('%').ToString();
    }
}
