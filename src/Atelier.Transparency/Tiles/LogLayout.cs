// Tile geometry of C2SP tlog-tiles ("Partial Tiles"): at level l a tree of size s has floor(s / 256^l)
// hashes, floor of that / 256 full tiles and one partial tile of (that mod 256) hashes when non-zero.
using Atelier.Core;

namespace Atelier.Transparency.Tiles;

/// <summary>
/// Where a log keeps its objects in an <see cref="IObjectStore"/> (under <see cref="Prefix"/>: the
/// checkpoint and the tile paths), and which tiles a tree of a given size has.
/// </summary>
public sealed class LogLayout
{
    /// <summary>The default prefix: the log's objects sit under <c>log/</c>, as the server serves them under /log/.</summary>
    public const string DefaultPrefix = "log/";

    /// <summary>The object that holds the latest signed checkpoint, relative to the prefix.</summary>
    public const string CheckpointName = "checkpoint";

    /// <summary>A layout whose keys start with <paramref name="prefix"/> (empty, or ending in '/').</summary>
    public LogLayout(string prefix = DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > 0)
        {
            if (!prefix.EndsWith('/'))
            {
                throw new ArgumentException("the log prefix must be empty or end with '/'", nameof(prefix));
            }

            ObjectKeys.Validate(prefix + CheckpointName);
        }

        Prefix = prefix;
    }

    /// <summary>The default layout.</summary>
    public static LogLayout Default { get; } = new();

    /// <summary>The key prefix, empty or ending in '/'.</summary>
    public string Prefix { get; }

    /// <summary>The object key of the published checkpoint.</summary>
    public string CheckpointKey => Prefix + CheckpointName;

    /// <summary>The object key of a tile or bundle.</summary>
    public string Key(TilePath tile) => Prefix + tile.ToString();

    /// <summary>How many hashes level <paramref name="tileLevel"/> tiles hold in a tree of <paramref name="size"/> entries.</summary>
    public static long HashCount(long size, int tileLevel) => tileLevel * TilePath.Height >= 63 ? 0 : size >> (tileLevel * TilePath.Height);

    /// <summary>The number of full tiles at a level.</summary>
    public static long FullTileCount(long size, int tileLevel) => HashCount(size, tileLevel) / TilePath.FullWidth;

    /// <summary>The width of the partial tile at a level; 0 when the level has none.</summary>
    public static int PartialWidth(long size, int tileLevel) => (int)(HashCount(size, tileLevel) % TilePath.FullWidth);

    /// <summary>The number of tile levels a tree of <paramref name="size"/> entries has (0 for the empty tree).</summary>
    public static int LevelCount(long size)
    {
        var levels = 0;
        while (HashCount(size, levels) > 0)
        {
            levels++;
        }

        return levels;
    }

    /// <summary>
    /// The tile of a tree of <paramref name="size"/> entries at <paramref name="tileLevel"/> and
    /// <paramref name="index"/>: full when the tree has filled it, else the partial tile of that size.
    /// Null when the tree has no such tile.
    /// </summary>
    public static TilePath? TileAt(long size, int tileLevel, long index, bool entries = false)
    {
        var full = FullTileCount(size, tileLevel);
        if (index < full)
        {
            return entries ? TilePath.Entries(index) : TilePath.Tile(tileLevel, index);
        }

        var width = PartialWidth(size, tileLevel);
        if (index == full && width > 0)
        {
            return entries ? TilePath.Entries(index, width) : TilePath.Tile(tileLevel, index, width);
        }

        return null;
    }

    /// <summary>
    /// True when a tree of <paramref name="size"/> entries covers the tile: a full tile it has filled, or a
    /// partial tile no wider than what the tree holds at that position. Tiles past the published size may
    /// still change after a crash and must not be served.
    /// </summary>
    public static bool Covers(long size, TilePath tile)
    {
        var level = tile.IsEntries ? 0 : tile.Level;
        var available = HashCount(size, level) - tile.FirstHashIndex;
        return available >= tile.Width;
    }
}
