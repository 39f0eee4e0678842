namespace Atelier.Core.Tests;

public class WorkIdTests
{
    [Fact]
    public void New_isValidUrlSafeAndSortsByTime()
    {
        var earlier = WorkId.New(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var later = WorkId.New(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_001));
        Assert.True(WorkId.IsValid(earlier));
        Assert.Equal(Uri.EscapeDataString(earlier), earlier);
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
    }

    [Fact]
    public void New_manyIds_areDistinct()
    {
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 10_000).Select(_ => WorkId.New(now)).ToHashSet();
        Assert.Equal(10_000, ids.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../etc/passwd")]
    [InlineData("01arz3ndektsv4rrffq69g5fa")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAV")]
    [InlineData("81arz3ndektsv4rrffq69g5fav")]
    public void IsValid_rejectsMalformed(string id) => Assert.False(WorkId.IsValid(id));
}
