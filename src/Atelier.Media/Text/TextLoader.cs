using Atelier.Core;

namespace Atelier.Media.Text;

/// <summary>Decoded text with the encoding it was stored in.</summary>
/// <param name="Text">
/// The text as a reader sees it: for HTML the visible text, for EPUB its chapters' visible text in reading order
/// separated by blank lines, for DOCX one line per paragraph, otherwise the file's content (BOM removed, line ends kept).
/// </param>
/// <param name="Encoding">Stable lower-case name: "utf-8", "utf-16le", "utf-16be", "utf-32le", "gb18030", "big5", "shift_jis", "euc-kr", "windows-1252"... ("utf-8" for EPUB and DOCX, whose parts are Unicode XML).</param>
/// <param name="Format">The format chosen from the extension (or HTML recognised in an extension-less file).</param>
public sealed record LoadedText(string Text, string Encoding, TextFormat Format);

/// <summary>
/// Reads a text file under <see cref="MediaOptions.MaxTextBytes"/>, detects its encoding and decodes it; EPUB and
/// DOCX containers are opened under the ZIP limits of <see cref="MediaOptions"/> and their text extracted.
/// </summary>
public static class TextLoader
{
    /// <summary>Loads <paramref name="path"/> as text.</summary>
    /// <param name="path">A local file.</param>
    /// <param name="originalFileName">The user's file name, whose extension picks the format; null to use <paramref name="path"/>'s.</param>
    /// <param name="options">Limits; null for the defaults.</param>
    /// <param name="ct">Cancels the read.</param>
    /// <exception cref="MediaException">Too large, binary, undecodable, not a text extension, empty or unreadable.</exception>
    public static async Task<LoadedText> LoadAsync(
        string path, string? originalFileName = null, MediaOptions? options = null, CancellationToken ct = default)
    {
        options ??= MediaOptions.Default;
        var extension = MediaInspector.ExtensionOf(originalFileName ?? path);
        var (length, head) = MediaFile.ReadHead(path, 4);
        if (ZipContainer.HasSignature(head))
        {
            return LoadContainer(path, extension, options, ct);
        }

        var format = TextFormats.FromExtension(extension)
            ?? throw new MediaException(MediaErrorCode.Unsupported, $"unsupported file type: '{extension}' is not a text format");
        if (format is TextFormat.Epub or TextFormat.Docx)
        {
            throw ZipContainer.Corrupt(format.ToName().ToUpperInvariant(), $"the file is named {extension} but is not a ZIP container");
        }

        if (length > options.MaxTextBytes)
        {
            throw TooLarge(length, options);
        }

        var bytes = await ReadCappedAsync(path, options, ct).ConfigureAwait(false);
        var isHtml = format == TextFormat.Html;
        var (text, encoding) = TextDecoding.Decode(bytes, isHtml);
        if (format == TextFormat.Plain && extension.Length == 0 && HtmlText.LooksLikeHtml(text))
        {
            format = TextFormat.Html;
        }

        return new LoadedText(format == TextFormat.Html ? HtmlText.ExtractVisibleText(text) : text, encoding, format);
    }

    /// <summary>
    /// An EPUB or DOCX, recognised by its own marker first and its extension second; any other ZIP archive is
    /// refused as unsupported before its limits are even looked at, as it was before these formats were read.
    /// </summary>
    private static LoadedText LoadContainer(string path, string extension, MediaOptions options, CancellationToken ct)
    {
        var named = TextFormats.FromExtension(extension) is TextFormat.Epub or TextFormat.Docx;
        using var zip = ZipContainer.TryOpen(path, options);
        if (zip is null)
        {
            throw named
                ? ZipContainer.Corrupt(extension[1..].ToUpperInvariant(), "the ZIP container is truncated or damaged (no readable central directory)")
                : new MediaException(MediaErrorCode.Unsupported, "unsupported file type: " + ZipContainer.PlainZipDescription);
        }

        var format = EpubText.HasMarker(zip) ? TextFormat.Epub
            : DocxText.HasMarker(zip) ? TextFormat.Docx
            : named ? TextFormats.FromExtension(extension)!.Value
            : throw new MediaException(MediaErrorCode.Unsupported, "unsupported file type: " + ZipContainer.PlainZipDescription);
        var name = format.ToName().ToUpperInvariant();
        zip.CheckLimits(name);

        string text;
        try
        {
            text = format == TextFormat.Epub ? EpubText.Extract(zip, ct) : DocxText.Extract(zip);
        }
        catch (Exception ex) when (ex is InvalidDataException or System.Xml.XmlException or IOException)
        {
            throw ZipContainer.Corrupt(name, ex is System.Xml.XmlException ? "its XML is malformed or declares a DTD (" + ex.Message + ")" : "an entry's compressed data is damaged", ex);
        }

        var bytes = System.Text.Encoding.UTF8.GetByteCount(text);
        return bytes > options.MaxTextBytes
            ? throw new MediaException(MediaErrorCode.LimitExceeded, $"text too large: the {name} holds {bytes} bytes of text, over the limit of {options.MaxTextBytes} bytes (MaxTextBytes)")
            : new LoadedText(text, "utf-8", format);
    }

    /// <summary>Text facts for <see cref="MediaInspector"/>.</summary>
    internal static async Task<MediaInspection> InspectAsync(string path, string originalFileName, MediaOptions options, CancellationToken ct)
    {
        var loaded = await LoadAsync(path, originalFileName, options, ct).ConfigureAwait(false);
        var (characters, words, lines) = TextStatistics.Count(loaded.Text);
        var metadata = new TextMetadata
        {
            Encoding = loaded.Encoding,
            Language = LanguageGuesser.Guess(loaded.Text),
            Characters = characters,
            Words = words,
            Lines = lines,
            Format = loaded.Format.ToName(),
        };
        return new MediaInspection(MediaKind.Text, loaded.Format.ToMediaType(), new WorkMetadata { Text = metadata });
    }

    /// <summary>Reads the whole file but never more than the limit, even if it grew after the size check.</summary>
    private static async Task<byte[]> ReadCappedAsync(string path, MediaOptions options, CancellationToken ct)
    {
        var stream = MediaFile.OpenRead(path);
        await using var streamScope = stream.ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > options.MaxTextBytes)
                {
                    throw TooLarge(buffer.Length + read, options);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (IOException ex)
        {
            throw MediaFile.Unreadable(path, ex);
        }

        return buffer.Length == 0
            ? throw new MediaException(MediaErrorCode.Empty, "empty file: it has 0 bytes")
            : buffer.ToArray();
    }

    private static MediaException TooLarge(long length, MediaOptions options) =>
        new(MediaErrorCode.LimitExceeded, $"text too large: {length} bytes exceeds the limit of {options.MaxTextBytes} bytes (MaxTextBytes)");
}
