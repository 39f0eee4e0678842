using System.Runtime.CompilerServices;
using System.Text;

namespace Atelier.Fingerprints.Text;

/// <summary>
/// The normalisation shared by indexing and querying. Each character is folded by
/// <see cref="CharFold"/> (NFKC, case folding, marks dropped, fullwidth and halfwidth forms unified,
/// Traditional and Simplified Chinese folded together); whitespace and punctuation fold away, leaving
/// one space between words and nothing between CJK characters that were not already spaced; an
/// apostrophe inside a word is dropped (don't and don’t both become dont).
/// Every normalised character keeps the span of source text (UTF-16 offsets) it came from.
/// </summary>
public static class TextNormalizer
{
    /// <summary>
    /// Version of the fold. Fingerprints record it: sets made under another version are refused by
    /// an index rather than silently mismatched.
    /// </summary>
    public const int Version = 1;

    /// <summary>The longest text accepted, in UTF-16 units (a whole book is a few million).</summary>
    public const int MaxSourceLength = 64 * 1024 * 1024;

    /// <summary>Normalises <paramref name="source"/>, keeping the map back to source offsets.</summary>
    /// <exception cref="ArgumentException">The text is longer than <see cref="MaxSourceLength"/>.</exception>
    public static NormalizedText Normalize(ReadOnlySpan<char> source)
    {
        CheckLength(source.Length);
        var sink = new NormalizedTextSink(source.Length);
        Run(source, ref sink);
        return sink.ToNormalizedText(source.Length);
    }

    /// <summary>Only the normalised string, for display and tests.</summary>
    public static string NormalizeToString(ReadOnlySpan<char> source) => Normalize(source).Value;

    internal static void CheckLength(int length)
    {
        if (length > MaxSourceLength)
        {
            throw new ArgumentException($"text of {length} characters is longer than the {MaxSourceLength} the text fingerprints accept", nameof(length));
        }
    }

    /// <summary>
    /// Feeds the folded characters of <paramref name="source"/> to <paramref name="sink"/>.
    /// Separators reach the sink only between two content characters, at most one in a row.
    /// </summary>
    internal static void Run<TSink>(ReadOnlySpan<char> source, ref TSink sink)
        where TSink : struct, INormalizedSink
    {
        var table = CharFold.Bmp;
        var state = default(State);
        for (var i = 0; i < source.Length; i++)
        {
            var entry = table[source[i]];
            var cls = (CharClass)((entry >> 24) & 0xF);
            if ((entry & CharFold.ExpansionFlag) == 0 && cls != CharClass.Surrogate)
            {
                Step(ref state, ref sink, (char)entry, '\0', cls, i, i + 1);
            }
            else if (cls != CharClass.Surrogate)
            {
                var offset = (int)(entry & 0xFFFF);
                var length = (int)((entry >> 16) & 0xFF);
                Emit(ref state, ref sink, CharFold.Pool.AsSpan(offset, length), CharFold.PoolClasses.AsSpan(offset, length), i, i + 1);
            }
            else if (char.IsHighSurrogate(source[i]) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
            {
                var folded = CharFold.FoldSupplementary(char.ConvertToUtf32(source[i], source[i + 1]));
                Emit(ref state, ref sink, folded.Text, folded.Classes, i, i + 2);
                i++;
            }
            else
            {
                // A lone surrogate is broken text: it separates, like an unassigned code point.
                Step(ref state, ref sink, '\0', '\0', CharClass.Separator, i, i + 1);
            }
        }
    }

    private static void Emit<TSink>(ref State state, ref TSink sink, ReadOnlySpan<char> text, ReadOnlySpan<CharClass> classes, int start, int end)
        where TSink : struct, INormalizedSink
    {
        for (var j = 0; j < text.Length; j++)
        {
            if (char.IsHighSurrogate(text[j]) && j + 1 < text.Length)
            {
                Step(ref state, ref sink, text[j], text[j + 1], classes[j], start, end);
                j++;
            }
            else
            {
                Step(ref state, ref sink, text[j], '\0', classes[j], start, end);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<TSink>(ref State state, ref TSink sink, char c, char low, CharClass cls, int start, int end)
        where TSink : struct, INormalizedSink
    {
        switch (cls)
        {
            case CharClass.Word:
            case CharClass.Cjk:
                if (state.PendingApostrophe)
                {
                    state.PendingApostrophe = false;
                    if (cls != CharClass.Word)
                    {
                        state.PendingSeparator = true;
                        state.SeparatorIndex = state.ApostropheIndex;
                    }
                }

                if (state.PendingSeparator)
                {
                    state.PendingSeparator = false;
                    if (state.Emitted)
                    {
                        sink.Separator(state.SeparatorIndex);
                    }
                }

                if (low == '\0')
                {
                    sink.Char(c, cls, start, end);
                }
                else
                {
                    sink.Pair(c, low, cls, start, end);
                }

                state.Emitted = true;
                state.LastClass = cls;
                break;
            case CharClass.Ignorable:
                if (!state.PendingSeparator && !state.PendingApostrophe && state.Emitted)
                {
                    sink.Extend(end);
                }

                break;
            case CharClass.Apostrophe when state.LastClass == CharClass.Word && state.Emitted && !state.PendingSeparator && !state.PendingApostrophe:
                state.PendingApostrophe = true;
                state.ApostropheIndex = start;
                break;
            default:
                if (state.PendingApostrophe)
                {
                    state.PendingApostrophe = false;
                    state.PendingSeparator = true;
                    state.SeparatorIndex = state.ApostropheIndex;
                }
                else if (!state.PendingSeparator)
                {
                    state.PendingSeparator = true;
                    state.SeparatorIndex = start;
                }

                break;
        }
    }

    private struct State
    {
        public bool Emitted;
        public bool PendingSeparator;
        public bool PendingApostrophe;
        public int SeparatorIndex;
        public int ApostropheIndex;
        public CharClass LastClass;
    }

    /// <summary>Builds the public <see cref="NormalizedText"/>.</summary>
    private struct NormalizedTextSink : INormalizedSink
    {
        private readonly StringBuilder _text;
        private readonly List<int> _starts;
        private readonly List<int> _ends;

        public NormalizedTextSink(int capacity)
        {
            _text = new StringBuilder(capacity);
            _starts = new List<int>(capacity);
            _ends = new List<int>(capacity);
        }

        public readonly void Char(char c, CharClass cls, int sourceStart, int sourceEnd)
        {
            _text.Append(c);
            _starts.Add(sourceStart);
            _ends.Add(sourceEnd);
        }

        public readonly void Pair(char high, char low, CharClass cls, int sourceStart, int sourceEnd)
        {
            Char(high, cls, sourceStart, sourceEnd);
            Char(low, cls, sourceStart, sourceEnd);
        }

        public readonly void Separator(int sourceIndex)
        {
            _text.Append(' ');
            _starts.Add(sourceIndex);
            _ends.Add(sourceIndex + 1);
        }

        public readonly void Extend(int sourceEnd)
        {
            // Dropped marks and format characters belong to the character before them (to every
            // character of its expansion, which share one source start).
            var start = _starts[^1];
            for (var i = _starts.Count - 1; i >= 0 && _starts[i] == start; i--)
            {
                _ends[i] = sourceEnd;
            }
        }

        public readonly NormalizedText ToNormalizedText(int sourceLength) =>
            new(_text.ToString(), [.. _starts], [.. _ends], sourceLength);
    }
}

/// <summary>Receives the output of <see cref="TextNormalizer"/>; a struct so the calls inline.</summary>
internal interface INormalizedSink
{
    /// <summary>A folded content character from source[<paramref name="sourceStart"/>..<paramref name="sourceEnd"/>).</summary>
    void Char(char c, CharClass cls, int sourceStart, int sourceEnd);

    /// <summary>A folded supplementary-plane content character.</summary>
    void Pair(char high, char low, CharClass cls, int sourceStart, int sourceEnd);

    /// <summary>Whitespace or punctuation starting at <paramref name="sourceIndex"/> between two content characters.</summary>
    void Separator(int sourceIndex);

    /// <summary>Dropped marks or format characters right after the last content character, up to <paramref name="sourceEnd"/>.</summary>
    void Extend(int sourceEnd);
}
