using System.Diagnostics;
using System.IO.Hashing;
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InspectAsync_entry_inflating_past_its_declared_size_is_refused(bool crcOfTheDeclaredPart)
    {
        // The header claims 4 KiB of a 32 MiB chapter, so the ratio and total checks pass: only the bytes counted
        // while reading stop it. With the CRC-32 forged to match the first 4 KiB, the CRC check cannot either.
        var chapter = Encoding.ASCII.GetBytes("<p>" + new string('a', 32 << 20) + "</p>");
        var honest = ZipFixtures.Zip(("mimetype", Encoding.ASCII.GetBytes("application/epub+zip")), ("chapter.xhtml", chapter));
        var lying = ZipFixtures.DeclareSize(honest, "chapter.xhtml", 4096);
        if (crcOfTheDeclaredPart)
        {
            lying = ZipFixtures.DeclareCrc(lying, "chapter.xhtml", Crc32.HashToUInt32(chapter.AsSpan(0, 4096)));
        }

        var clock = Stopwatch.StartNew();
        var error = await ZipFixtures.RefusalAsync(lying, "bomb.epub");

        Assert.Equal(MediaErrorCode.Corrupt, error.Code);
        Assert.Contains("entry 'chapter.xhtml' inflates to more than the 4096 bytes its header declares", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task InspectAsync_stored_entry_longer_than_declared_is_refused()
    {
        // OCF stores the mimetype entry uncompressed: its raw bytes come straight from the file.
        var epub = ZipFixtures.DeclareSize(ZipFixtures.Epub(("c1.xhtml", "<p>一</p>")), "mimetype", 11);

        var error = await ZipFixtures.RefusalAsync(epub, "book.epub");

        Assert.Equal(MediaErrorCode.Corrupt, error.Code);
        Assert.Contains("entry 'mimetype' inflates to more than the 11 bytes its header declares", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAsync_entry_shorter_than_declared_is_refused()
    {
        // The part is a few hundred bytes; 10,000 stays under the ratio check's floor, so only reading tells.
        var docx = ZipFixtures.Docx("<w:p><w:r><w:t>short</w:t></w:r></w:p>");
        var lying = ZipFixtures.DeclareSize(docx, "word/document.xml", 10_000);

        var error = await ZipFixtures.RefusalAsync(lying, "short.docx");

        Assert.Equal(MediaErrorCode.Corrupt, error.Code);
        Assert.Contains("entry 'word/document.xml' holds", error.Message, StringComparison.Ordinal);
        Assert.Contains("fewer than the 10000 its header declares", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("report.docx", "word/document.xml")]
    [InlineData("book.epub", "OEBPS/c1.xhtml")]
    [InlineData("book.epub", "mimetype")]
    public async Task InspectAsync_entry_failing_its_crc_is_refused(string name, string entry)
    {
        var honest = name.EndsWith(".docx", StringComparison.Ordinal)
            ? ZipFixtures.Docx("<w:p><w:r><w:t>春眠不觉晓</w:t></w:r></w:p>")
            : ZipFixtures.Epub(("c1.xhtml", "<p>春眠不觉晓，处处闻啼鸟。</p>"));
        Assert.NotNull(await ZipFixtures.LoadAsync(honest, name));

        var error = await ZipFixtures.RefusalAsync(ZipFixtures.DeclareCrc(honest, entry, 0xDEADBEEF), name);

        Assert.Equal(MediaErrorCode.Corrupt, error.Code);
        Assert.Contains($"entry '{entry}' fails its CRC-32 check", error.Message, StringComparison.Ordinal);
        Assert.Contains("the header says deadbeef", error.Message, StringComparison.Ordinal);
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
