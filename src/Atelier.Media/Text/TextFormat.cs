namespace Atelier.Media.Text;

/// <summary>
/// The text formats accepted, chosen by file extension (no extension: plain text, or HTML if it starts like HTML);
/// EPUB and DOCX are ZIP containers, recognised by their own markers or by extension.
/// </summary>
public enum TextFormat
{
    Plain,
    Markdown,
    Html,
    Csv,
    Srt,
    Lrc,

    /// <summary>An EPUB publication: the visible text of its XHTML content documents in reading (spine) order.</summary>
    Epub,

    /// <summary>A Word (Office Open XML) document: the text of word/document.xml, one line per paragraph.</summary>
    Docx,
}

/// <summary>Names and media types of <see cref="TextFormat"/>.</summary>
public static class TextFormats
{
    /// <summary>Stable name stored in <c>TextMetadata.Format</c>: "plain", "markdown", "html", "csv", "srt", "lrc", "epub", "docx".</summary>
    public static string ToName(this TextFormat format) => format switch
    {
        TextFormat.Plain => "plain",
        TextFormat.Markdown => "markdown",
        TextFormat.Html => "html",
        TextFormat.Csv => "csv",
        TextFormat.Srt => "srt",
        TextFormat.Lrc => "lrc",
        TextFormat.Epub => "epub",
        TextFormat.Docx => "docx",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>
    /// IANA media type without charset. SubRip and LRC have no registered type; they are plain text, so
    /// text/plain (and <see cref="ToName"/> keeps the distinction).
    /// </summary>
    public static string ToMediaType(this TextFormat format) => format switch
    {
        TextFormat.Markdown => "text/markdown",
        TextFormat.Html => "text/html",
        TextFormat.Csv => "text/csv",
        TextFormat.Epub => EpubText.MediaType,
        TextFormat.Docx => DocxText.MediaType,
        _ => "text/plain",
    };

    /// <summary>The format for a lower-case extension (with its dot, "" for none), or null when it is not text.</summary>
    public static TextFormat? FromExtension(string extension) => extension switch
    {
        ".txt" or ".text" or "" => TextFormat.Plain,
        ".md" or ".markdown" => TextFormat.Markdown,
        ".html" or ".htm" => TextFormat.Html,
        ".csv" => TextFormat.Csv,
        ".srt" => TextFormat.Srt,
        ".lrc" => TextFormat.Lrc,
        ".epub" => TextFormat.Epub,
        ".docx" => TextFormat.Docx,
        _ => null,
    };
}
