namespace Atelier.Core.Tests;

public class ContributorsTests
{
    [Fact]
    public void Validate_sharesAddingToFullShare_isValid()
    {
        Assert.Null(Contributors.Validate([new("Ann", "composer", 6000), new("Bo", "lyricist", 4000)]));
    }

    [Fact]
    public void Validate_noShares_isValid()
    {
        Assert.Null(Contributors.Validate([new("Ann", "photographer"), new("Bo", "editor")]));
    }

    [Theory]
    [InlineData(6000, 3999)]
    [InlineData(6000, 4001)]
    [InlineData(-1, 10001)]
    public void Validate_sharesNotAddingUp_givesReason(int a, int b)
    {
        Assert.NotNull(Contributors.Validate([new("Ann", "composer", a), new("Bo", "lyricist", b)]));
    }

    [Fact]
    public void Validate_someWithoutShare_givesReason()
    {
        Assert.Contains("every contributor", Contributors.Validate([new("Ann", "composer", 10000), new("Bo", "lyricist")]), StringComparison.Ordinal);
    }
}
