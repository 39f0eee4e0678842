using System.Diagnostics;
using System.Text;

namespace Atelier.Media.Tests.Text;

public sealed class ZipContainerTests
{
    private static readonly byte[] Zeros = new byte[32 << 20];

    [Fact]
    public async Task InspectAsync_highly_compressed_entry_is_refused_before_inflating()
    {
        var bomb = ZipFixtures.Zip(("[Content_Types].xml", Encoding.UTF8.GetBytes("<Types/>")), ("word/document.xml", Zeros));
        var clock = Stopwatch.StartNew();

        var error = await ZipFixtures.RefusalAsync(bomb, "bomb.docx");

        Assert.Equal(MediaErrorCode.LimitExceeded, error.Code);
        Assert.Contains("MaxZipCompressionRatio", error.Message, StringComparison.Ordinal);
        Assert.Contains("word/document.xml", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task LoadAsync_entry_never_inflates_past_its_declared_size()
    {
        // The header claims 4 KiB of a 32 MiB chapter, so the ratio and total checks pass: only the bytes
        // counted while reading keep the rest from being inflated.
        var chapter = Encoding.ASCII.GetBytes("<p>" + new string('a', 32 << 20) + "</p>");
        var honest = ZipFixtures.Zip(("mimetype", Encoding.ASCII.GetBytes("application/epub+zip")), ("chapter.xhtml", chapter));
        var lying = ZipFixtures.DeclareSize(honest, "chapter.xhtml", 4096);

        var loaded = await ZipFixtures.LoadAsync(lying, "bomb.epub");

        Assert.InRange(loaded.Text.Length, 1000, 4096);
        Assert.All(loaded.Text, c => Assert.Equal('a', c));
    }

    [Fact]
    public async Task InspectAsync_declared_total_over_the_limit_is_refused()
    {
        var docx = ZipFixtures.Docx("<w:p><w:r><w:t>" + new string('x', 5000) + "</w:t></w:r></w:p>");

        var error = await ZipFixtures.RefusalAsync(docx, "big.docx", new MediaOptions { MaxZipUncompressedBytes = 4000 });

        Assert.Equal(MediaErrorCode.LimitExceeded, error.Code);
        Assert.Contains("MaxZipUncompressedBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAsync_too_many_entries_are_refused()
    {
        var entries = Enumerable.Range(0, 10_001).Select(i => ($"OEBPS/{i:D5}.xhtml", string.Empty)).Prepend(("mimetype", "application/epub+zip"));
        var epub = ZipFixtures.Zip([.. entries]);

        var error = await ZipFixtures.RefusalAsync(epub, "many.epub");

        Assert.Equal(MediaErrorCode.LimitExceeded, error.Code);
        Assert.Contains("10002 exceeds the limit of 10000 (MaxZipEntries)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAsync_truncated_container_is_corrupt()
    {
        var docx = ZipFixtures.Docx("<w:p><w:r><w:t>" + new string('x', 2000) + "</w:t></w:r></w:p>");

        var error = await ZipFixtures.RefusalAsync(docx[..(docx.Length / 2)], "cut.docx");

        Assert.Equal(MediaErrorCode.Corrupt, error.Code);
        Assert.StartsWith("corrupt DOCX", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("archive.zip")]
    [InlineData("notes.txt")]
    [InlineData("no-extension")]
    public async Task InspectAsync_plain_zip_is_still_unsupported_even_as_a_bomb(string name)
    {
        var zip = ZipFixtures.Zip(("readme.txt", Encoding.UTF8.GetBytes("hello")), ("zeros.bin", Zeros));

        var error = await ZipFixtures.RefusalAsync(zip, name);

        Assert.Equal(MediaErrorCode.Unsupported, error.Code);
        Assert.StartsWith("unsupported file type: a ZIP archive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_zip_limits_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MediaOptions { MaxZipEntries = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new MediaOptions { MaxZipUncompressedBytes = -1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new MediaOptions { MaxZipCompressionRatio = 0 }.Validate());
    }
}
