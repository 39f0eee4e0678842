using Atelier.Media.Text;

namespace Atelier.Media.Tests.Text;

public sealed class HtmlTextTests
{
    [Fact]
    public void ExtractVisibleText_drops_markup_scripts_and_decodes_entities()
    {
        const string Html = """
            <html><head><title>Title</title><style>p { color: red }</style></head>
            <body><!-- a comment <p>not shown</p> -->
            <h1>Heading</h1><p>Fish &amp; chips, <b>très</b> bon&nbsp;appétit &#20013;&#25991;</p>
            <SCRIPT type="text/javascript">document.write("<p>hidden</p>")</SCRIPT>
            <ul><li>one</li><li>two</li></ul></body></html>
            """;

        var text = HtmlText.ExtractVisibleText(Html);

        Assert.Equal("Heading\n\nFish & chips, très bon appétit 中文\n\none\n\ntwo", text);
    }

    [Fact]
    public void ExtractVisibleText_unclosed_scripts_take_linear_time()
    {
        // A backtracking engine retries every "<script" against the rest of the input: quadratic.
        var hostile = string.Concat(Enumerable.Repeat("<script><!-- x", 50_000));
        var started = System.Diagnostics.Stopwatch.StartNew();

        var text = HtmlText.ExtractVisibleText(hostile);

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
        Assert.DoesNotContain("script", text, StringComparison.Ordinal);
    }
}
