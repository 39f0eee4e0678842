using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Atelier.Media.Text;
using Atelier.Testing;

namespace Atelier.Media.Tests.Text;

/// <summary>EPUB, DOCX and hostile ZIP containers built in memory with <see cref="ZipArchive"/>.</summary>
internal static class ZipFixtures
{
    public const string WordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    /// <summary>A ZIP archive of UTF-8 text entries; "mimetype" is stored uncompressed, as OCF requires.</summary>
    public static byte[] Zip(params (string Name, string Content)[] entries) =>
        Zip([.. entries.Select(e => (e.Name, Encoding.UTF8.GetBytes(e.Content)))]);

    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = archive.CreateEntry(name, name == "mimetype" ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>An EPUB whose package document lists <paramref name="chapters"/> in this spine order.</summary>
    public static byte[] Epub(params (string Href, string Body)[] chapters)
    {
        var manifest = string.Concat(chapters.Select((c, i) => $"""<item id="c{i}" href="{c.Href}" media-type="application/xhtml+xml"/>"""));
        var spine = string.Concat(chapters.Select((_, i) => $"""<itemref idref="c{i}"/>"""));
        var opf = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
              <metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>测试</dc:title></metadata>
              <manifest>{manifest}<item id="css" href="style.css" media-type="text/css"/></manifest>
              <spine>{spine}</spine>
            </package>
            """;
        return Zip(
        [
            ("mimetype", EpubText.MediaType),
            ("META-INF/container.xml", """
                <?xml version="1.0"?>
                <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
                  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
                </container>
                """),
            ("OEBPS/content.opf", opf),
            ("OEBPS/style.css", "p { color: red }"),
            .. chapters.Select(c => ("OEBPS/" + Uri.UnescapeDataString(c.Href), Xhtml(c.Body))),
        ]);
    }

    public static string Xhtml(string body) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml"><head><title>章</title></head><body>{body}</body></html>
        """;

    /// <summary>A DOCX whose w:body holds <paramref name="body"/>; <paramref name="prolog"/> goes before the root.</summary>
    public static byte[] Docx(string body, string prolog = "") => Zip(
        ("[Content_Types].xml", """<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"""),
        ("word/document.xml", $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}<w:document xmlns:w="{WordNamespace}"><w:body>{body}</w:body></w:document>"""));

    /// <summary>
    /// Rewrites the uncompressed size that the local header and the central directory record declare for
    /// <paramref name="name"/>: the lying header of a zip bomb.
    /// </summary>
    public static byte[] DeclareSize(byte[] zip, string name, uint size) => Patch(zip, name, 22, 24, size);

    /// <summary>Rewrites the CRC-32 that the local header and the central directory record declare for <paramref name="name"/>.</summary>
    public static byte[] DeclareCrc(byte[] zip, string name, uint crc) => Patch(zip, name, 14, 16, crc);

    /// <summary>
    /// Writes <paramref name="value"/> into the 32-bit field at <paramref name="localAt"/> of the local header
    /// (APPNOTE §4.3.7) and <paramref name="centralAt"/> of the central directory record (§4.3.12) of the entry.
    /// </summary>
    private static byte[] Patch(byte[] zip, string name, int localAt, int centralAt, uint value)
    {
        var copy = (byte[])zip.Clone();
        var nameBytes = Encoding.UTF8.GetBytes(name);
        for (var i = 0; i + 46 < copy.Length; i++)
        {
            var (fieldAt, nameAt) = copy.AsSpan(i).StartsWith("PK\x03\x04"u8) ? (localAt, 30)
                : copy.AsSpan(i).StartsWith("PK\x01\x02"u8) ? (centralAt, 46)
                : (-1, -1);
            if (fieldAt > 0 && copy.AsSpan(i + nameAt).StartsWith(nameBytes))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(i + fieldAt), value);
            }
        }

        return copy;
    }

    /// <summary>Stages <paramref name="content"/> as <paramref name="name"/> and loads it with <see cref="TextLoader"/>.</summary>
    public static async Task<LoadedText> LoadAsync(byte[] content, string name, MediaOptions? options = null)
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("staged");
        await File.WriteAllBytesAsync(path, content, TestContext.Current.CancellationToken);
        return await TextLoader.LoadAsync(path, name, options, TestContext.Current.CancellationToken);
    }

    /// <summary>Stages <paramref name="content"/> and inspects it as <paramref name="name"/>.</summary>
    public static async Task<MediaInspection> InspectAsync(byte[] content, string name)
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("staged");
        await File.WriteAllBytesAsync(path, content, TestContext.Current.CancellationToken);
        return await TestFiles.Inspector().InspectAsync(path, name, TestContext.Current.CancellationToken);
    }

    /// <summary>The refusal <see cref="TextLoader"/> gives, through the inspector so messages are checked for the staging path.</summary>
    public static Task<MediaException> RefusalAsync(byte[] content, string name, MediaOptions? options = null) =>
        TestFiles.RefusalAsync(content, name, options);
}
