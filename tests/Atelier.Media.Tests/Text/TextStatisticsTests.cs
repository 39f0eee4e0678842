using Atelier.Media.Text;

namespace Atelier.Media.Tests.Text;

public sealed class TextStatisticsTests
{
    [Theory]
    [InlineData("", 0, 0, 0)]
    [InlineData("Hello, world", 11, 2, 1)]
    [InlineData("don't stop", 9, 2, 1)]
    [InlineData("l’homme qui rit", 13, 3, 1)]
    [InlineData("rock 'n' roll", 11, 3, 1)]
    [InlineData("well-known 42", 12, 3, 1)]
    [InlineData("中文测试 abc", 7, 5, 1)]
    [InlineData("ひらがなカタカナ漢字", 10, 10, 1)]
    [InlineData("한국어 텍스트", 6, 6, 1)]
    [InlineData("a\nb\n", 2, 2, 2)]
    [InlineData("a\r\nb", 2, 2, 2)]
    [InlineData("a\rb\r\rc", 3, 3, 4)]
    [InlineData("\n", 0, 0, 1)]
    [InlineData("café naïve", 9, 2, 1)]
    [InlineData("cafe\u0301", 5, 1, 1)]
    [InlineData("𠀀𠀁 emoji 😀", 8, 3, 1)]
    public void Count_follows_the_documented_rules(string text, int characters, int words, int lines)
    {
        Assert.Equal((characters, words, lines), TextStatistics.Count(text));
    }
}
