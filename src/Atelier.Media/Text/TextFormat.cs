namespace Atelier.Media.Text;

/// <summary>The text formats accepted, chosen by file extension (no extension: plain text, or HTML if it starts like HTML).</summary>
public enum TextFormat
{
    Plain,
    Markdown,
    Html,
    Csv,
    Srt,
    Lrc,
}

/// <summary>Names and media types of <see cref="TextFormat"/>.</summary>
public static class TextFormats
{
    /// <summary>Stable name stored in <c>TextMetadata.Format</c>: "plain", "markdown", "html", "csv", "srt", "lrc".</summary>
    public static string ToName(this TextFormat format) => format switch
    {
        TextFormat.Plain => "plain",
        TextFormat.Markdown => "markdown",
        TextFormat.Html => "html",
        TextFormat.Csv => "csv",
        TextFormat.Srt => "srt",
        TextFormat.Lrc => "lrc",
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
        _ => null,
    };
}
