using System.Text;

namespace Atelier.Media.Text;

/// <summary>Character, word and line counts as defined on <c>TextMetadata</c>.</summary>
internal static class TextStatistics
{
    /// <param name="text">Decoded text; lone surrogates count as one replacement character each.</param>
    public static (int Characters, int Words, int Lines) Count(string text)
    {
        int characters = 0, words = 0, lines = 0;
        var inWord = false;
        var lineHasContent = false;
        var span = text.AsSpan();
        for (var i = 0; i < span.Length;)
        {
            Rune.DecodeFromUtf16(span[i..], out var rune, out var width);
            i += width;

            if (rune.Value == '\n' || rune.Value == '\r')
            {
                // CR LF is one line break; a lone CR (classic Mac) is one too.
                if (rune.Value == '\r' && i < span.Length && span[i] == '\n')
                {
                    i++;
                }

                lines++;
                lineHasContent = false;
                inWord = false;
                continue;
            }

            lineHasContent = true;
            if (!Rune.IsWhiteSpace(rune))
            {
                characters++;
            }

            if (Scripts.IsCjkWordUnit(rune))
            {
                words++;
                inWord = false;
            }
            else if (Scripts.IsWordPart(rune))
            {
                if (!inWord)
                {
                    words++;
                    inWord = true;
                }
            }
            else if (!(inWord && IsApostrophe(rune) && NextIsWordPart(span[i..])))
            {
                inWord = false;
            }
        }

        return (characters, words, lineHasContent ? lines + 1 : lines);
    }

    private static bool IsApostrophe(Rune rune) => rune.Value is '\'' or 0x2019;

    private static bool NextIsWordPart(ReadOnlySpan<char> rest) =>
        Rune.DecodeFromUtf16(rest, out var next, out _) == System.Buffers.OperationStatus.Done
        && Scripts.IsWordPart(next) && !Scripts.IsCjkWordUnit(next);
}
