// Tile and entry bundle paths of C2SP tlog-tiles ("APIs" > "Merkle Tree", "Partial Tiles", "Log entries"):
// tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>], N in zero-padded 3-digit groups with an x prefix on
// all but the last group (1234067 -> x001/x234/067).
using System.Globalization;
using System.Text;

namespace Atelier.Transparency.Tiles;

/// <summary>
/// One tile (a run of up to 256 hashes at level 8·<see cref="Level"/> of the tree) or one entry bundle
/// (<see cref="IsEntries"/>), full or partial. Parsing accepts only the canonical spelling, so each
/// resource has exactly one path.
/// </summary>
public readonly record struct TilePath
{
    /// <summary>Tile height in tree levels, fixed at 8 by tlog-tiles.</summary>
    public const int Height = 8;

    /// <summary>Hashes (or entries) in a full tile.</summary>
    public const int FullWidth = 1 << Height;

    /// <summary>The <see cref="Level"/> of entry bundles.</summary>
    public const int EntriesLevel = -1;

    /// <summary>The highest tile level the spec allows.</summary>
    public const int MaxLevel = 63;

    /// <summary>The largest tile index accepted: its first hash index still fits in a long.</summary>
    public const long MaxIndex = long.MaxValue / FullWidth;

    private const int MaxPathLength = 64;

    private TilePath(int level, long index, int width)
    {
        Level = level;
        Index = index;
        Width = width;
    }

    /// <summary>The tile level, 0 to <see cref="MaxLevel"/>, or <see cref="EntriesLevel"/> for an entry bundle.</summary>
    public int Level { get; }

    /// <summary>The tile's index within its level.</summary>
    public long Index { get; }

    /// <summary>How many hashes (or entries) the tile holds: 1 to 256; 256 for a full tile.</summary>
    public int Width { get; }

    /// <summary>True for an entry bundle, false for a hash tile.</summary>
    public bool IsEntries => Level == EntriesLevel;

    /// <summary>True for a partial tile or bundle (<c>.p/W</c>).</summary>
    public bool IsPartial => Width < FullWidth;

    /// <summary>The tree level of the hashes the tile holds (entry bundles sit at level 0).</summary>
    public int HashLevel => IsEntries ? 0 : Level * Height;

    /// <summary>The index, at <see cref="HashLevel"/>, of the tile's first hash.</summary>
    public long FirstHashIndex => Index * FullWidth;

    /// <summary>
    /// The first log entry the tile covers (tlog-tiles' start index); <see cref="long.MaxValue"/> for tiles
    /// so high that no 63-bit log reaches them.
    /// </summary>
    public long StartEntry => HashLevel >= 63 || FirstHashIndex > long.MaxValue >> HashLevel ? long.MaxValue : FirstHashIndex << HashLevel;

    /// <summary>The size in bytes the tile must have (bundles have no fixed size).</summary>
    public int HashTileByteLength => Width * Merkle.Hash.Size;

    /// <summary>A hash tile.</summary>
    public static TilePath Tile(int level, long index, int width = FullWidth)
    {
        if (level is < 0 or > MaxLevel)
        {
            throw new ArgumentOutOfRangeException(nameof(level), $"tile level must be 0..{MaxLevel}");
        }

        return Create(level, index, width);
    }

    /// <summary>An entry bundle.</summary>
    public static TilePath Entries(long index, int width = FullWidth) => Create(EntriesLevel, index, width);

    /// <summary>The same tile at another width (for example the full tile a partial one grows into).</summary>
    public TilePath WithWidth(int width) => Create(Level, Index, width);

    /// <summary>Parses a canonical tile path; throws <see cref="FormatException"/> otherwise.</summary>
    public static TilePath Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return TryParse(path, out var tile) ? tile : throw new FormatException($"'{Truncate(path)}' is not a tile path");
    }

    /// <summary>Parses a canonical tile path such as <c>tile/0/x001/234.p/7</c> or <c>tile/entries/000</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> path, out TilePath tile)
    {
        tile = default;
        if (path.Length is 0 or > MaxPathLength || !path.StartsWith("tile/", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = path["tile/".Length..];
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        int level;
        var levelText = rest[..slash];
        if (levelText.SequenceEqual("entries"))
        {
            level = EntriesLevel;
        }
        else if (!TryParseSmall(levelText, out level) || level > MaxLevel)
        {
            return false;
        }

        rest = rest[(slash + 1)..];
        var width = FullWidth;
        var partial = rest.IndexOf(".p/", StringComparison.Ordinal);
        if (partial >= 0)
        {
            if (!TryParseSmall(rest[(partial + 3)..], out width) || width is 0 or >= FullWidth)
            {
                return false;
            }

            rest = rest[..partial];
        }

        long index = 0;
        var groups = 0;
        while (true)
        {
            slash = rest.IndexOf('/');
            var last = slash < 0;
            var group = last ? rest : rest[..slash];
            var digits = last ? group : (group.Length == 4 && group[0] == 'x' ? group[1..] : []);
            if (digits.Length != 3 || !char.IsAsciiDigit(digits[0]) || !char.IsAsciiDigit(digits[1]) || !char.IsAsciiDigit(digits[2]))
            {
                return false;
            }

            // Six groups (18 digits) cover every index up to MaxIndex; a seventh could overflow a long.
            if (++groups > 6)
            {
                return false;
            }

            index = (index * 1000) + ((digits[0] - '0') * 100) + ((digits[1] - '0') * 10) + (digits[2] - '0');
            if (last)
            {
                break;
            }

            rest = rest[(slash + 1)..];
        }

        if (index > MaxIndex)
        {
            return false;
        }

        tile = new TilePath(level, index, width);
        // Leading zero groups ("x000/001") are the one way to spell an index twice; the canonical form decides.
        return path.SequenceEqual(tile.ToString());
    }

    /// <summary>The canonical path, for example <c>tile/1/x001/234.p/17</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(40);
        builder.Append("tile/");
        if (IsEntries)
        {
            builder.Append("entries");
        }
        else
        {
            builder.Append(Level.ToString(CultureInfo.InvariantCulture));
        }

        builder.Append('/');
        AppendIndex(builder, Index);
        if (IsPartial)
        {
            builder.Append(".p/").Append(Width.ToString(CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    private static TilePath Create(int level, long index, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, MaxIndex);
        if (width is < 1 or > FullWidth)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"tile width must be 1..{FullWidth}");
        }

        return new TilePath(level, index, width);
    }

    private static void AppendIndex(StringBuilder builder, long index)
    {
        Span<char> digits = stackalloc char[20];
        var text = index.ToString(CultureInfo.InvariantCulture);
        // Left-pad to a multiple of three, then emit groups of three with an x on all but the last.
        var padded = (text.Length + 2) / 3 * 3;
        digits[..padded].Fill('0');
        text.CopyTo(digits[(padded - text.Length)..]);
        for (var i = 0; i < padded; i += 3)
        {
            if (i > 0)
            {
                builder.Append('/');
            }

            if (i + 3 < padded)
            {
                builder.Append('x');
            }

            builder.Append(digits.Slice(i, 3));
        }
    }

    /// <summary>A decimal 0..999 with no leading zeros.</summary>
    private static bool TryParseSmall(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 3 || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        foreach (var ch in text)
        {
            if (!char.IsAsciiDigit(ch))
            {
                return false;
            }

            value = (value * 10) + (ch - '0');
        }

        return true;
    }

    private static string Truncate(string path) => path.Length <= MaxPathLength ? path : path[..MaxPathLength] + "…";
}
