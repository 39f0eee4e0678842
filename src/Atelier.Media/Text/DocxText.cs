using System.Text;
using System.Xml;

namespace Atelier.Media.Text;

/// <summary>
/// The text of a Word document, following ECMA-376 Part 1 (WordprocessingML): the main document part
/// word/document.xml (§11.3.10), read as paragraphs (§17.3.1.22 <c>w:p</c>) of runs whose text (§17.3.3.31
/// <c>w:t</c>), tabs (§17.3.3.32 <c>w:tab</c>) and breaks (§17.3.3.1 <c>w:br</c>, §17.3.3.4 <c>w:cr</c>) become
/// lines. Deleted text (<c>w:delText</c>) and field codes (<c>w:instrText</c>) are not what a reader sees and are
/// skipped, as are headers, footers and notes, which live in other parts. The part is streamed, never loaded
/// whole, and DTDs are refused, so no external entity is ever resolved.
/// </summary>
internal static class DocxText
{
    /// <summary>IANA media type of a .docx file.</summary>
    public const string MediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private const string DocumentPart = "word/document.xml";

    private const string Transitional = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    private const string Strict = "http://purl.oclc.org/ooxml/wordprocessingml/main";

    /// <summary>Whether the container has the main document part and the OPC content types part.</summary>
    public static bool HasMarker(ZipContainer zip) => zip.Find(DocumentPart) is not null && zip.Find("[Content_Types].xml") is not null;

    /// <summary>One line per paragraph (more where it has breaks), trailing empty lines removed.</summary>
    public static string Extract(ZipContainer zip)
    {
        var entry = zip.Find(DocumentPart) ?? throw ZipContainer.Corrupt("DOCX", $"it has no {DocumentPart} part");
        var text = new StringBuilder();
        using var reader = zip.OpenXml(entry);
        var inText = false;
        var tabStopsDepth = -1;
        while (reader.Read())
        {
            var isWord = reader.NamespaceURI is Transitional or Strict;
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when isWord:
                    switch (reader.LocalName)
                    {
                        case "t":
                            inText = !reader.IsEmptyElement;
                            break;
                        case "tabs" when !reader.IsEmptyElement:
                            tabStopsDepth = reader.Depth; // w:tabs/w:tab are tab stop definitions, not tabs
                            break;
                        case "tab" when tabStopsDepth < 0:
                            text.Append('\t');
                            break;
                        case "br" or "cr":
                        case "p" when reader.IsEmptyElement:
                            text.Append('\n');
                            break;
                    }

                    break;
                case XmlNodeType.EndElement when isWord:
                    switch (reader.LocalName)
                    {
                        case "t":
                            inText = false;
                            break;
                        case "tabs" when reader.Depth == tabStopsDepth:
                            tabStopsDepth = -1;
                            break;
                        case "p":
                            text.Append('\n');
                            break;
                    }

                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace when inText:
                    text.Append(reader.Value);
                    break;
            }
        }

        return text.ToString().TrimEnd('\n');
    }
}
