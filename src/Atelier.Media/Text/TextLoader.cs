using Atelier.Core;

namespace Atelier.Media.Text;

/// <summary>Decoded text with the encoding it was stored in.</summary>
/// <param name="Text">The text as a reader sees it: for HTML the visible text, otherwise the file's content (BOM removed, line ends kept).</param>
/// <param name="Encoding">Stable lower-case name: "utf-8", "utf-16le", "utf-16be", "utf-32le", "gb18030", "big5", "shift_jis", "euc-kr", "windows-1252"...</param>
/// <param name="Format">The format chosen from the extension (or HTML recognised in an extension-less file).</param>
public sealed record LoadedText(string Text, string Encoding, TextFormat Format);

/// <summary>Reads a text file under <see cref="MediaOptions.MaxTextBytes"/>, detects its encoding and decodes it.</summary>
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
        var format = TextFormats.FromExtension(extension)
            ?? throw new MediaException(MediaErrorCode.Unsupported, $"unsupported file type: '{extension}' is not a text format");

        var length = MediaFile.GetLength(path);
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
