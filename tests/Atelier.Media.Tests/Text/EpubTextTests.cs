using Atelier.Core;
using Atelier.Media.Text;

namespace Atelier.Media.Tests.Text;

public sealed class EpubTextTests
{
    // Named so that name order (a- before b-) is the opposite of reading order.
    private static readonly byte[] Book = ZipFixtures.Epub(
        ("b-first.xhtml", "<h1>第一章 春天</h1><p>春天来了，小草从地下探出头来。</p>"),
        ("a-second%20part.xhtml", "<h1>第二章 夏天</h1><p>夏天的太阳很热，我们在河里游泳。</p>"));

    [Fact]
    public async Task LoadAsync_epub_joins_chapters_in_spine_order_not_name_order()
    {
        var loaded = await ZipFixtures.LoadAsync(Book, "春夏.epub");

        Assert.Equal(TextFormat.Epub, loaded.Format);
        Assert.Equal("utf-8", loaded.Encoding);
        Assert.Equal("第一章 春天\n\n春天来了，小草从地下探出头来。\n\n第二章 夏天\n\n夏天的太阳很热，我们在河里游泳。", loaded.Text);
    }

    [Fact]
    public async Task InspectAsync_epub_is_text_whose_metadata_comes_from_the_extracted_text()
    {
        var result = await ZipFixtures.InspectAsync(Book, "春夏.epub");

        Assert.Equal(MediaKind.Text, result.Kind);
        Assert.Equal("application/epub+zip", result.MediaType);
        var text = result.Metadata.Text!;
        Assert.Equal("epub", text.Format);
        Assert.Equal("utf-8", text.Encoding);
        Assert.Equal("zh-Hans", text.Language);
        var loaded = await ZipFixtures.LoadAsync(Book, "春夏.epub");
        Assert.Equal(TextStatistics.Count(loaded.Text), (text.Characters, text.Words, text.Lines));
    }

    [Theory]
    [InlineData("upload")]
    [InlineData("book.zip")]
    public async Task LoadAsync_epub_under_another_name_is_recognised_by_its_mimetype_entry(string name)
    {
        var loaded = await ZipFixtures.LoadAsync(Book, name);

        Assert.Equal(TextFormat.Epub, loaded.Format);
        Assert.StartsWith("第一章", loaded.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_epub_script_and_style_never_reach_the_text()
    {
        var book = ZipFixtures.Epub(("c.xhtml", "<script>var secret = 'do-not-index';</script><style>p{}</style><p>Visible words.</p>"));

        var loaded = await ZipFixtures.LoadAsync(book, "book.epub");

        Assert.Equal("Visible words.", loaded.Text);
    }

    [Fact]
    public async Task LoadAsync_epub_without_package_document_reads_content_in_name_order()
    {
        var book = ZipFixtures.Zip(
            ("mimetype", EpubText.MediaType),
            ("OEBPS/ch2.xhtml", ZipFixtures.Xhtml("<p>Two</p>")),
            ("OEBPS/ch1.xhtml", ZipFixtures.Xhtml("<p>One</p>")));

        var loaded = await ZipFixtures.LoadAsync(book, "book.epub");

        Assert.Equal("One\n\nTwo", loaded.Text);
    }

    [Fact]
    public async Task LoadAsync_epub_spine_escaping_the_container_is_not_followed()
    {
        var book = ZipFixtures.Epub(("../../../etc/passwd", "<p>never</p>"), ("ok.xhtml", "<p>Inside.</p>"));

        var loaded = await ZipFixtures.LoadAsync(book, "book.epub");

        Assert.Equal("Inside.", loaded.Text);
    }

    [Theory]
    [InlineData("PK\u0003\u0004rest-of-zip")]
    [InlineData("just some text")]
    public async Task InspectAsync_epub_that_is_no_readable_zip_is_corrupt(string content)
    {
        var error = await ZipFixtures.RefusalAsync(System.Text.Encoding.UTF8.GetBytes(content), "book.epub");

        Assert.Equal(MediaErrorCode.Corrupt, error.Code);
        Assert.StartsWith("corrupt EPUB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAsync_epub_without_any_content_document_is_corrupt()
    {
        var error = await ZipFixtures.RefusalAsync(ZipFixtures.Zip(("mimetype", EpubText.MediaType), ("cover.jpg", "x")), "book.epub");

        Assert.Equal(MediaErrorCode.Corrupt, error.Code);
        Assert.Contains("no XHTML content", error.Message, StringComparison.Ordinal);
    }
}
