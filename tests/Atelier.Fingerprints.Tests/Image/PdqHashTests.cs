using Atelier.Fingerprints.Image;

namespace Atelier.Fingerprints.Tests.Image;

public sealed class PdqHashTests
{
    private const string Bridge = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";

    [Fact]
    public void Parse_upstream_hex_round_trips_and_orders_bits_like_upstream()
    {
        var h = PdqHash.Parse(Bridge);
        Assert.Equal(Bridge, h.ToString());
        // Upstream prints bit 255 first: the last hex digit holds bits 0-3 (0x2 → bit 1 set).
        Assert.True(h[1]);
        Assert.False(h[0]);
        Assert.True(h[255]); // leading 'd' = 1101
        Assert.Equal(PdqHash.Parse(Bridge.ToUpperInvariant()), h);
    }

    [Theory]
    [InlineData("")]
    [InlineData("d8f8")]
    [InlineData("z8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22")]
    public void Parse_bad_text_throws_format_exception(string text)
    {
        Assert.Throws<FormatException>(() => PdqHash.Parse(text));
        Assert.False(PdqHash.TryParse(text, out _));
    }

    [Fact]
    public void WriteTo_and_Read_round_trip()
    {
        var h = PdqHash.Parse(Bridge);
        var bytes = new byte[32];
        h.WriteTo(bytes);
        Assert.Equal(h, PdqHash.Read(bytes));
        Assert.Throws<ArgumentException>(() => PdqHash.Read(new byte[31]));
    }

    [Fact]
    public void Distance_counts_differing_bits()
    {
        var a = PdqHash.Parse(Bridge);
        var b = new PdqHash(a.W0 ^ 0b111, a.W1, a.W2 ^ (1UL << 63), a.W3);
        Assert.Equal(4, a.DistanceTo(b));
        Assert.Equal(0, a.DistanceTo(a));
        Assert.Equal(256, new PdqHash(0, 0, 0, 0).DistanceTo(new PdqHash(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue)));
    }
}
