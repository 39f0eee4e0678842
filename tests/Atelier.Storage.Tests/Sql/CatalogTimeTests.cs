using Atelier.Storage.Sql;

namespace Atelier.Storage.Tests.Sql;

public class CatalogTimeTests
{
    [Fact]
    public void Normalize_offsetAndSubMicrosecondTicks_givesUtcWholeMicroseconds()
    {
        var at = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)).AddTicks(9_999_999);

        var normalized = CatalogTime.Normalize(at);

        Assert.Equal(TimeSpan.Zero, normalized.Offset);
        Assert.Equal(at.UtcTicks - 9, normalized.UtcTicks);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(-1L)]
    [InlineData(1_740_816_000_123_456L)]
    [InlineData(-2_208_988_800_000_001L)]
    public void UnixMicroseconds_roundTrip(long microseconds)
    {
        var at = CatalogTime.FromUnixMicroseconds(microseconds);

        Assert.Equal(microseconds, CatalogTime.ToUnixMicroseconds(at));
        Assert.Equal(at, CatalogTime.Normalize(at));
    }
}
