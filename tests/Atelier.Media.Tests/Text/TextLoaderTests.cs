using System.Text;
using Atelier.Core;
using Atelier.Media.Text;
using Atelier.Testing;

namespace Atelier.Media.Tests.Text;

public sealed class TextLoaderTests
{
    /// <summary>Each en/zh document of MANIFEST.tsv with the language its script column implies.</summary>
    public static TheoryData<string, string> DevDocuments()
    {
        var data = new TheoryData<string, string>();
        var rows = TestFiles.ManifestRows(TestFiles.TextDev);
        if (rows is null)
        {
            data.Add("(shared data missing)", "und");
            return data;
        }

        foreach (var row in rows)
        {
            data.Add(row[0], row[7] switch { "Latin" => "en", "simplified" => "zh-Hans", "traditional" => "zh-Hant", var other => other });
        }

        return data;
    }

    /// <summary>The re-encoded copies and their UTF-8 sources, per SOURCES.md §3.</summary>
    public static TheoryData<string, string, string, string> EncodedCopies() => new()
    {
        { "encodings/zh-gb18030.txt", "zh/zh-lunyu-01.txt", "gb18030", "zh-Hans" },
        { "encodings/zh-big5.txt", "zh/zh-trad-tang-05.txt", "big5", "zh-Hant" },
        { "encodings/en-utf16le-bom.txt", "en/en-alice-01.txt", "utf-16le", "en" },
    };

    [Theory]
    [MemberData(nameof(DevDocuments))]
    public async Task InspectAsync_dev_document_is_utf8_text_in_its_language(string relative, string language)
    {
        var path = Path.Combine(TestFiles.Shared(TestFiles.TextDev), relative);

        var result = await TestFiles.Inspector().InspectAsync(path, Path.GetFileName(relative), TestContext.Current.CancellationToken);

        Assert.Equal(MediaKind.Text, result.Kind);
        Assert.Equal("text/plain", result.MediaType);
        var text = result.Metadata.Text!;
        Assert.Equal("utf-8", text.Encoding);
        Assert.Equal(language, text.Language);
        Assert.Equal("plain", text.Format);
        Assert.True(text.Characters > 100 && text.Words > 20 && text.Lines > 1, $"{text.Characters} chars, {text.Words} words, {text.Lines} lines");
    }

    [Theory]
    [MemberData(nameof(EncodedCopies))]
    public async Task LoadAsync_encoded_copy_decodes_to_the_utf8_original(string encoded, string original, string encoding, string language)
    {
        var dir = TestFiles.Shared(TestFiles.TextDev);

        var loaded = await TextLoader.LoadAsync(Path.Combine(dir, encoded), ct: TestContext.Current.CancellationToken);
        var inspected = await TestFiles.Inspector().InspectAsync(Path.Combine(dir, encoded), Path.GetFileName(encoded), TestContext.Current.CancellationToken);

        Assert.Equal(encoding, loaded.Encoding);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(dir, original), TestContext.Current.CancellationToken), loaded.Text);
        Assert.Equal(encoding, inspected.Metadata.Text!.Encoding);
        Assert.Equal(language, inspected.Metadata.Text.Language);
    }

    [Theory]
    [InlineData(932, "shift_jis", "ja", "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。吾輩はここで始めて人間というものを見た。")]
    [InlineData(949, "euc-kr", "ko", "대한민국 헌법 제1조 대한민국은 민주공화국이다. 대한민국의 주권은 국민에게 있고, 모든 권력은 국민으로부터 나온다. 모든 국민은 인간으로서의 존엄과 가치를 가지며, 행복을 추구할 권리를 가진다.")]
    [InlineData(1252, "windows-1252", "fr", "Le cœur a ses raisons que la raison ne connaît point. On le sait en mille choses. Je dis que le cœur aime l’être universel naturellement, et soi-même naturellement, selon qu’il s’y adonne ; et il se durcit contre l’un ou l’autre, à son choix. Vous avez rejeté l’un et conservé l’autre : est-ce par raison que vous vous aimez ?")]
    [InlineData(1251, "windows-1251", "ru", "Все счастливые семьи похожи друг на друга, каждая несчастливая семья несчастлива по-своему. Всё смешалось в доме Облонских. Жена узнала, что муж был в связи с бывшею в их доме француженкою-гувернанткой, и объявила мужу, что не может жить с ним в одном доме.")]
    public async Task LoadAsync_legacy_encoding_is_detected(int codePage, string encoding, string language, string text)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        using var temp = new TempDirectory("media");
        var path = temp.Combine("legacy.txt");
        await File.WriteAllBytesAsync(path, Encoding.GetEncoding(codePage).GetBytes(text), TestContext.Current.CancellationToken);

        var result = await TestFiles.Inspector().InspectAsync(path, "legacy.txt", TestContext.Current.CancellationToken);
        var loaded = await TextLoader.LoadAsync(path, ct: TestContext.Current.CancellationToken);

        Assert.Equal(encoding, result.Metadata.Text!.Encoding);
        Assert.Equal(language, result.Metadata.Text.Language);
        Assert.Equal(text, loaded.Text);
    }

    [Theory]
    [InlineData("utf-16be")]
    [InlineData("utf-32le")]
    [InlineData("utf-8")]
    public async Task LoadAsync_byte_order_mark_decides_the_encoding(string encoding)
    {
        var codec = encoding switch
        {
            "utf-16be" => (Encoding)new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
            "utf-32le" => new UTF32Encoding(bigEndian: false, byteOrderMark: true),
            _ => new UTF8Encoding(encoderShouldEmitUTF8Identifier: true),
        };
        using var temp = new TempDirectory("media");
        var path = temp.Combine("bom.txt");
        const string Text = "Ünïcödé 中文 テキスト\n";
        await File.WriteAllBytesAsync(path, [.. codec.GetPreamble(), .. codec.GetBytes(Text)], TestContext.Current.CancellationToken);

        var loaded = await TextLoader.LoadAsync(path, ct: TestContext.Current.CancellationToken);

        Assert.Equal(encoding, loaded.Encoding);
        Assert.Equal(Text, loaded.Text);
    }

    [Fact]
    public async Task InspectAsync_chinese_file_name_works()
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("中文.txt");
        await File.WriteAllTextAsync(path, "学而时习之，不亦说乎？有朋自远方来，不亦乐乎？", TestContext.Current.CancellationToken);

        var text = (await TestFiles.Inspector().InspectAsync(path, "中文.txt", TestContext.Current.CancellationToken)).Metadata.Text!;

        Assert.Equal("zh-Hans", text.Language);
        Assert.Equal(23, text.Characters);
        Assert.Equal(19, text.Words);
        Assert.Equal(1, text.Lines);
    }

    [Fact]
    public async Task InspectAsync_html_counts_visible_text_only()
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("page.html");
        await File.WriteAllTextAsync(
            path,
            "<!DOCTYPE html><html><head><title>T</title><style>p { color: red }</style></head><body><p>Hello &amp; welcome</p><script>var x = '<p>hidden</p>';</script><p>to the page</p></body></html>",
            TestContext.Current.CancellationToken);

        var result = await TestFiles.Inspector().InspectAsync(path, "page.html", TestContext.Current.CancellationToken);

        Assert.Equal("text/html", result.MediaType);
        Assert.Equal("html", result.Metadata.Text!.Format);
        Assert.Equal(5, result.Metadata.Text.Words); // Hello, welcome, to, the, page
    }

    [Fact]
    public async Task LoadAsync_html_meta_charset_is_honoured()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        using var temp = new TempDirectory("media");
        var path = temp.Combine("page.htm");
        var html = "<html><head><meta charset=\"gbk\"></head><body><p>中文网页</p></body></html>";
        await File.WriteAllBytesAsync(path, Encoding.GetEncoding(936).GetBytes(html), TestContext.Current.CancellationToken);

        var loaded = await TextLoader.LoadAsync(path, ct: TestContext.Current.CancellationToken);

        Assert.Equal("gb18030", loaded.Encoding);
        Assert.Equal("中文网页", loaded.Text);
    }

    [Theory]
    [InlineData("notes.md", "text/markdown", "markdown")]
    [InlineData("table.csv", "text/csv", "csv")]
    [InlineData("film.srt", "text/plain", "srt")]
    [InlineData("song.lrc", "text/plain", "lrc")]
    [InlineData("README", "text/plain", "plain")]
    public async Task InspectAsync_text_extensions_map_to_media_types(string name, string mediaType, string format)
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("staged");
        await File.WriteAllTextAsync(path, "# Title\n\nSome *words*, here.\n", TestContext.Current.CancellationToken);

        var result = await TestFiles.Inspector().InspectAsync(path, name, TestContext.Current.CancellationToken);

        Assert.Equal(mediaType, result.MediaType);
        Assert.Equal(format, result.Metadata.Text!.Format);
    }

    [Fact]
    public async Task InspectAsync_binary_named_txt_is_refused()
    {
        var bytes = new byte[2048];
        new Random(7).NextBytes(bytes);
        bytes[0] = (byte)'A';

        var error = await TestFiles.RefusalAsync(bytes, "data.txt");

        Assert.Equal(MediaErrorCode.Unsupported, error.Code);
        Assert.Contains("binary data, not text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAsync_control_bytes_without_nul_are_refused()
    {
        var bytes = Enumerable.Range(0, 3000).Select(i => (byte)(1 + (i % 8))).ToArray();

        var error = await TestFiles.RefusalAsync(bytes, "blob");

        Assert.Equal(MediaErrorCode.Unsupported, error.Code);
        Assert.Contains("control characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_broken_utf16_after_bom_is_corrupt()
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("broken.txt");
        await File.WriteAllBytesAsync(path, [0xFF, 0xFE, (byte)'H', 0, 0x00, 0xD8, (byte)'i', 0], TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<MediaException>(() => TextLoader.LoadAsync(path, ct: TestContext.Current.CancellationToken));

        Assert.Equal(MediaErrorCode.Corrupt, error.Code);
        Assert.StartsWith("corrupt text: invalid utf-16le data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_over_max_text_bytes_is_refused_before_reading()
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("big.txt");
        await File.WriteAllTextAsync(path, new string('a', 5000), TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<MediaException>(
            () => TextLoader.LoadAsync(path, options: new MediaOptions { MaxTextBytes = 4096 }, ct: TestContext.Current.CancellationToken));

        Assert.Equal(MediaErrorCode.LimitExceeded, error.Code);
        Assert.Contains("MaxTextBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_extension_less_html_is_recognised()
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("blob");
        await File.WriteAllTextAsync(path, "  <!doctype html><title>x</title><body><b>Bold</b> move", TestContext.Current.CancellationToken);

        var loaded = await TextLoader.LoadAsync(path, ct: TestContext.Current.CancellationToken);

        Assert.Equal(TextFormat.Html, loaded.Format);
        Assert.Equal("Bold move", loaded.Text);
    }
}
