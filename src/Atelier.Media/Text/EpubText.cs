using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Atelier.Media.Text;

/// <summary>
/// The reading text of an EPUB publication, following EPUB 3.3 (W3C Recommendation): OCF §6.2.2 (the
/// <c>mimetype</c> file), §6.2.6.3.1 (META-INF/container.xml names the package document as a rootfile) and the
/// package document's manifest (§5.6) and spine (§5.7), which give the content documents in reading order.
/// EPUB 2's OPF has the same shape. When container.xml or the package document is missing or broken, or its
/// spine names no content document present in the container, every .xhtml/.html/.htm entry is read in ordinal
/// name order instead: sloppy packaging should not hide a book's text.
/// </summary>
internal static class EpubText
{
    /// <summary>IANA media type, also the exact content of the <c>mimetype</c> entry.</summary>
    public const string MediaType = "application/epub+zip";

    private const string Format = "EPUB";

    private static readonly string[] ContentExtensions = [".xhtml", ".html", ".htm"];

    /// <summary>Whether the container's <c>mimetype</c> entry says EPUB.</summary>
    public static bool HasMarker(ZipContainer zip)
    {
        if (zip.Find("mimetype") is not { } entry || entry.Length > 256)
        {
            return false;
        }

        return Encoding.ASCII.GetString(zip.ReadAll(entry, maxBytes: 256)).Trim() == MediaType;
    }

    /// <summary>The visible text of each content document in reading order, separated by blank lines.</summary>
    public static string Extract(ZipContainer zip, CancellationToken ct)
    {
        var parts = SpineParts(zip);
        if (parts.Count == 0)
        {
            parts = [.. zip.FilesByName().Where(entry => IsContentName(entry.FullName))];
        }

        if (parts.Count == 0)
        {
            throw ZipContainer.Corrupt(Format, "it holds no XHTML content documents");
        }

        var text = new StringBuilder();
        foreach (var part in parts)
        {
            ct.ThrowIfCancellationRequested();
            var (html, _) = TextDecoding.Decode(zip.ReadAll(part), isHtml: true);
            var visible = HtmlText.ExtractVisibleText(html);
            if (visible.Length > 0)
            {
                text.Append(text.Length > 0 ? "\n\n" : string.Empty).Append(visible);
            }
        }

        return text.ToString();
    }

    /// <summary>The spine's content documents that exist in the container; empty when the package cannot be followed.</summary>
    private static List<ZipArchiveEntry> SpineParts(ZipContainer zip)
    {
        try
        {
            if (zip.Find("META-INF/container.xml") is not { } container
                || RootfilePath(zip, container) is not { } opfPath
                || zip.Find(opfPath) is not { } opf)
            {
                return [];
            }

            var baseDir = opfPath.Contains('/', StringComparison.Ordinal) ? opfPath[..opfPath.LastIndexOf('/')] : string.Empty;
            var (manifest, spine) = ReadPackage(zip, opf);
            var parts = new List<ZipArchiveEntry>();
            foreach (var idref in spine)
            {
                if (manifest.TryGetValue(idref, out var item)
                    && (item.MediaType is "application/xhtml+xml" or "text/html" || IsContentName(item.Href))
                    && Resolve(baseDir, item.Href) is { } name
                    && zip.Find(name) is { } entry)
                {
                    parts.Add(entry);
                }
            }

            return parts;
        }
        catch (XmlException)
        {
            return [];
        }
    }

    private static string? RootfilePath(ZipContainer zip, ZipArchiveEntry container)
    {
        using var reader = zip.OpenXml(container);
        string? first = null;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "rootfile" && reader.GetAttribute("full-path") is { Length: > 0 } path)
            {
                if (reader.GetAttribute("media-type") == "application/oebps-package+xml")
                {
                    return path;
                }

                first ??= path;
            }
        }

        return first;
    }

    private static (Dictionary<string, (string Href, string? MediaType)> Manifest, List<string> Spine) ReadPackage(
        ZipContainer zip, ZipArchiveEntry opf)
    {
        var manifest = new Dictionary<string, (string, string?)>(StringComparer.Ordinal);
        var spine = new List<string>();
        using var reader = zip.OpenXml(opf);
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (reader.LocalName == "item" && reader.GetAttribute("id") is { } id && reader.GetAttribute("href") is { } href)
            {
                manifest.TryAdd(id, (href, reader.GetAttribute("media-type")));
            }
            else if (reader.LocalName == "itemref" && reader.GetAttribute("idref") is { } idref)
            {
                spine.Add(idref);
            }
        }

        return (manifest, spine);
    }

    /// <summary>
    /// The container entry name a manifest href (a URL relative to the package document, §5.6.2) points at, or
    /// null for an absolute, external or escaping reference. This only builds a lookup key, never a file path.
    /// </summary>
    private static string? Resolve(string baseDir, string href)
    {
        var hash = href.IndexOf('#', StringComparison.Ordinal);
        href = Uri.UnescapeDataString(hash >= 0 ? href[..hash] : href);
        if (href.Length == 0 || href.StartsWith('/') || href.Contains(':', StringComparison.Ordinal))
        {
            return null;
        }

        var segments = baseDir.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        foreach (var segment in href.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    return null;
                }

                segments.RemoveAt(segments.Count - 1);
            }
            else
            {
                segments.Add(segment);
            }
        }

        return string.Join('/', segments);
    }

    private static bool IsContentName(string name) =>
        ContentExtensions.Any(extension => name.EndsWith(extension, StringComparison.OrdinalIgnoreCase));
}
