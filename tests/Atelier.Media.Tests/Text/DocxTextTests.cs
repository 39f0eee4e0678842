using Atelier.Core;
using Atelier.Media.Text;

namespace Atelier.Media.Tests.Text;

public sealed class DocxTextTests
{
    private const string Body = """
        <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>标题</w:t></w:r></w:p>
        <w:p><w:r><w:t>Name</w:t><w:tab/><w:t xml:space="preserve">Value </w:t></w:r><w:r><w:t>and more</w:t></w:r></w:p>
        <w:p><w:r><w:t>line one</w:t><w:br/><w:t>line two</w:t><w:cr/><w:t>line three</w:t></w:r></w:p>
        <w:p/>
        <w:p><w:r><w:delText>deleted</w:delText><w:instrText>PAGE</w:instrText><w:t>最后一段</w:t></w:r></w:p>
        """;

    [Fact]
    public async Task LoadAsync_docx_paragraphs_tabs_and_breaks_become_lines()
    {
        var loaded = await ZipFixtures.LoadAsync(ZipFixtures.Docx(Body), "报告.docx");

        Assert.Equal(TextFormat.Docx, loaded.Format);
        Assert.Equal("utf-8", loaded.Encoding);
        Assert.Equal("标题\nName\tValue and more\nline one\nline two\nline three\n\n最后一段", loaded.Text);
    }

    [Fact]
    public async Task InspectAsync_docx_is_text_with_the_wordprocessing_media_type()
    {
        var result = await ZipFixtures.InspectAsync(ZipFixtures.Docx(Body), "no-extension");

        Assert.Equal(MediaKind.Text, result.Kind);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", result.MediaType);
        Assert.Equal("docx", result.Metadata.Text!.Format);
        Assert.Equal(7, result.Metadata.Text.Lines);
    }

    [Fact]
    public async Task InspectAsync_docx_external_entity_is_never_resolved()
    {
        using var temp = new Atelier.Testing.TempDirectory("media");
        var secret = temp.Combine("secret.txt");
        await File.WriteAllTextAsync(secret, "TOP-SECRET-CONTENT", TestContext.Current.CancellationToken);
        var docx = ZipFixtures.Docx(
            "<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>",
            $"""<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>""");

        var error = await ZipFixtures.RefusalAsync(docx, "evil.docx");

        Assert.Equal(MediaErrorCode.Corrupt, error.Code);
        Assert.StartsWith("corrupt DOCX", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("TOP-SECRET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAsync_docx_without_its_document_part_is_corrupt()
    {
        var error = await ZipFixtures.RefusalAsync(ZipFixtures.Zip(("[Content_Types].xml", "<Types/>")), "empty.docx");

        Assert.Equal(MediaErrorCode.Corrupt, error.Code);
        Assert.Contains("word/document.xml", error.Message, StringComparison.Ordinal);
    }
}
