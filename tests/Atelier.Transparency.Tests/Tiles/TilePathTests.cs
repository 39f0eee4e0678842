using Atelier.Transparency.Tiles;

namespace Atelier.Transparency.Tests.Tiles;

public class TilePathTests
{
    [Theory]
    [InlineData(0, 0, 256, "tile/0/000")]
    [InlineData(0, 1234067, 256, "tile/0/x001/x234/067")]
    [InlineData(2, 5, 17, "tile/2/005.p/17")]
    [InlineData(1, 1000, 1, "tile/1/x001/000.p/1")]
    [InlineData(-1, 999, 256, "tile/entries/999")]
    [InlineData(63, 36028797018963967, 255, "tile/63/x036/x028/x797/x018/x963/967.p/255")]
    [InlineData(-1, 3057500, 2, "tile/entries/x003/x057/500.p/2")]
    public void ToString_andParse_roundTripCanonicalPaths(int level, long index, int width, string path)
    {
        var tile = level == TilePath.EntriesLevel ? TilePath.Entries(index, width) : TilePath.Tile(level, index, width);
        Assert.Equal(path, tile.ToString());
        Assert.Equal(tile, TilePath.Parse(path));
    }

    [Theory]
    [InlineData("tile/0/1234")]
    [InlineData("tile/0/x000/001")]
    [InlineData("tile/00/000")]
    [InlineData("tile/01/000")]
    [InlineData("tile/64/000")]
    [InlineData("tile/100/000")]
    [InlineData("tile/-1/000")]
    [InlineData("tile/0/000.p/0")]
    [InlineData("tile/0/000.p/256")]
    [InlineData("tile/0/000.p/01")]
    [InlineData("tile/0/000.p/")]
    [InlineData("tile/0/000.p/5/6")]
    [InlineData("tile/0/000.p/5.p/6")]
    [InlineData("tile/0/001/002")]
    [InlineData("tile/0/x1/002")]
    [InlineData("tile/0/../000")]
    [InlineData("tile/0/000/")]
    [InlineData("tile/0//000")]
    [InlineData("tile/0/٠٠٠")]
    [InlineData("tile/data/000")]
    [InlineData("/tile/0/000")]
    [InlineData("tile/0/x001/x002/x003/x004/x005/x006/x007/000")]
    [InlineData("tile/0/x999/x999/x999/x999/x999/x999/999")]
    [InlineData("")]
    public void TryParse_malformedOrImpossiblePath_isRejected(string path)
    {
        Assert.False(TilePath.TryParse(path, out _));
        Assert.Throws<FormatException>(() => TilePath.Parse(path));
    }

    [Fact]
    public void TryParse_goSumdbTilePaths_agreeOnLevelIndexAndWidth()
    {
        // Go's sumdb spells tile/H/L/N with a height; tlog-tiles fixes H = 8 and drops it, and names the
        // data tiles "entries". The index grouping is the same.
        var cases = Vectors.ReadJson(Vectors.GoTlog).GetProperty("tile_paths_go_sumdb_format").GetProperty("cases");
        var checkedCount = 0;
        foreach (var c in cases.EnumerateArray())
        {
            var goPath = c.GetProperty("path").GetString()!;
            var parts = goPath.Split('/');
            var c2spPath = "tile/" + string.Join('/', parts[2..]).Replace("data/", "entries/", StringComparison.Ordinal);
            if (c.TryGetProperty("invalid", out _))
            {
                Assert.False(TilePath.TryParse(c2spPath, out _), c2spPath);
                continue;
            }

            var height = c.GetProperty("H").GetInt32();
            var width = c.GetProperty("W").GetInt32();
            var tile = TilePath.Parse(c2spPath);
            Assert.Equal(c.GetProperty("L").GetInt32(), tile.Level);
            Assert.Equal(c.GetProperty("N").GetInt64(), tile.Index);
            Assert.Equal(width == 1 << height ? TilePath.FullWidth : width, tile.Width);
            checkedCount++;
        }

        Assert.True(checkedCount >= 5);
    }

    [Fact]
    public void Layout_c2spExamples_matchTileCountsAndIndexEncoding()
    {
        var examples = Vectors.ReadJson(Vectors.C2spExamples);
        var encoding = examples.GetProperty("tile_index_encoding_example");
        Assert.Equal("tile/0/" + encoding.GetProperty("path_element").GetString(), TilePath.Tile(0, encoding.GetProperty("N").GetInt64()).ToString());

        // "a tree of size 70,000: 273 full level 0 tiles, a partial level 0 tile of width 112, one full
        // level 1 tile, a partial level 1 tile of width 17, and a partial level 2 tile of width 1".
        var size = examples.GetProperty("tile_size_example").GetProperty("tree_size").GetInt64();
        Assert.Equal(70000, size);
        Assert.Equal(3, LogLayout.LevelCount(size));
        Assert.Equal([273L, 1L, 0L], Enumerable.Range(0, 3).Select(l => LogLayout.FullTileCount(size, l)));
        Assert.Equal([112, 17, 1], Enumerable.Range(0, 3).Select(l => LogLayout.PartialWidth(size, l)));
        Assert.Equal(TilePath.Tile(1, 1, 17), LogLayout.TileAt(size, 1, 1));
        Assert.Null(LogLayout.TileAt(size, 1, 2));
        Assert.Equal(TilePath.Tile(0, 0), LogLayout.TileAt(256, 0, 0));
        Assert.Equal(TilePath.Tile(1, 0, 1), LogLayout.TileAt(256, 1, 0));
    }

    [Fact]
    public void Covers_tilesBeyondTheCheckpoint_areNotCovered()
    {
        Assert.True(LogLayout.Covers(300, TilePath.Tile(0, 0)));
        Assert.True(LogLayout.Covers(300, TilePath.Tile(0, 1, 44)));
        Assert.True(LogLayout.Covers(300, TilePath.Tile(0, 1, 10)));
        Assert.False(LogLayout.Covers(300, TilePath.Tile(0, 1, 45)));
        Assert.False(LogLayout.Covers(300, TilePath.Tile(0, 1)));
        Assert.True(LogLayout.Covers(300, TilePath.Tile(1, 0, 1)));
        Assert.False(LogLayout.Covers(300, TilePath.Tile(1, 0, 2)));
        Assert.True(LogLayout.Covers(300, TilePath.Entries(1, 44)));
        Assert.False(LogLayout.Covers(300, TilePath.Entries(2, 1)));
    }

    [Fact]
    public void EntryBundle_roundTripsAndRejectsDamage()
    {
        ReadOnlyMemory<byte>[] entries = ["a"u8.ToArray(), Array.Empty<byte>(), new byte[EntryBundle.MaxEntryLength], "中文"u8.ToArray()];
        var bundle = EntryBundle.Encode(entries);
        Assert.Equal([0, 1, (byte)'a', 0, 0, 0xFF, 0xFF], bundle[..7]);
        var decoded = EntryBundle.Decode(bundle, entries.Length);
        Assert.Equal(entries.Select(e => e.ToArray()), decoded.Select(e => e.ToArray()));
        Assert.Throws<FormatException>(() => EntryBundle.Decode(bundle, entries.Length + 1));
        Assert.Throws<FormatException>(() => EntryBundle.Decode(bundle, entries.Length - 1));
        Assert.Throws<FormatException>(() => EntryBundle.Decode(bundle[..^1], entries.Length));
        Assert.Throws<ArgumentException>(() => EntryBundle.Encode([new byte[EntryBundle.MaxEntryLength + 1]]));
    }
}
