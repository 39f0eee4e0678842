using Atelier.Storage.Sql;

namespace Atelier.Storage.Tests.Sql;

public class TitleSearchTests
{
    [Theory]
    [InlineData("ÄRGER im Café", "ärger im café")]
    [InlineData("ＡＴＥＬＩＥＲ", "atelier")]
    [InlineData("春江花月夜", "春江花月夜")]
    [InlineData("ΣΟΦΙΑ", "σοφια")]
    public void Fold_mixedScripts_givesLowerCaseCompatibilityForm(string title, string folded)
    {
        Assert.Equal(folded, TitleSearch.Fold(title));
    }

    [Theory]
    [InlineData("100%", "%100!%%")]
    [InlineData("a_b", "%a!_b%")]
    [InlineData("wow!", "%wow!!%")]
    [InlineData("花月", "%花月%")]
    public void ContainsPattern_likeWildcards_areEscaped(string text, string pattern)
    {
        Assert.Equal(pattern, TitleSearch.ContainsPattern(text));
    }
}
