namespace Atelier.Fingerprints.Text;

/// <summary>
/// Text after <see cref="TextNormalizer"/>, with the map from every normalised position back to the
/// source: <see cref="GetSourceStart"/> and <see cref="GetSourceEnd"/> give the UTF-16 span of the
/// source text that produced the character (several normalised characters share a span when one
/// source character expands, as ﬁ does into "fi"; a separator space maps to the first whitespace or
/// punctuation character it replaced).
/// </summary>
public sealed class NormalizedText
{
    private readonly int[] _starts;
    private readonly int[] _ends;

    internal NormalizedText(string value, int[] starts, int[] ends, int sourceLength)
    {
        Value = value;
        _starts = starts;
        _ends = ends;
        SourceLength = sourceLength;
    }

    /// <summary>The normalised text: folded words separated by single spaces, CJK characters unspaced.</summary>
    public string Value { get; }

    /// <summary>Length of the source text, in UTF-16 units.</summary>
    public int SourceLength { get; }

    /// <summary>Source offset of the first UTF-16 unit behind normalised character <paramref name="index"/>.</summary>
    public int GetSourceStart(int index) => _starts[index];

    /// <summary>Source offset just past the source text behind normalised character <paramref name="index"/>.</summary>
    public int GetSourceEnd(int index) => _ends[index];

    /// <summary>The source span (start, length) behind the normalised range [start, start + length).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside <see cref="Value"/>, or is empty.</exception>
    public (int Start, int Length) ToSourceSpan(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + length, Value.Length, nameof(length));
        var sourceStart = _starts[start];
        var sourceEnd = sourceStart;
        for (var i = start; i < start + length; i++)
        {
            sourceEnd = Math.Max(sourceEnd, _ends[i]);
        }

        return (sourceStart, sourceEnd - sourceStart);
    }
}
