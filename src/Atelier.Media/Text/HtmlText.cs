using System.Net;
using System.Text.RegularExpressions;

namespace Atelier.Media.Text;

/// <summary>
/// The visible text of an HTML page, cheaply: no DOM, just removal of comments, script/style-like elements and
/// tags, block tags turned into line breaks, then entity decoding. Good enough for counting and fingerprinting
/// what a reader sees; not a renderer. The regexes run in linear time (NonBacktracking), so hostile markup
/// cannot make them slow.
/// </summary>
public static class HtmlText
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    private static readonly Regex Hidden = new(
        @"<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>|<noscript\b.*?</noscript\s*>|<template\b.*?</template\s*>|<head\b.*?</head\s*>|<title\b.*?</title\s*>",
        Options);

    private static readonly Regex BlockTag = new(
        @"</?(p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|tr|table|section|article|aside|header|footer|nav|main|blockquote|pre|figure|figcaption|address)\b[^>]*>",
        Options);

    private static readonly Regex AnyTag = new(@"<[^>]*>", Options);

    private static readonly Regex SpaceRun = new(@"[ \t\f\v\u00A0]+", Options);

    private static readonly Regex BlankLines = new(@"\n[ \t]*(\n[ \t]*)+", Options);

    /// <summary>Strips markup from <paramref name="html"/> and decodes entities (&amp;amp;, &amp;#20013;...).</summary>
    public static string ExtractVisibleText(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = Hidden.Replace(html, " ");
        text = BlockTag.Replace(text, "\n");
        text = AnyTag.Replace(text, string.Empty);
        text = WebUtility.HtmlDecode(text);
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        text = SpaceRun.Replace(text, " ");
        text = BlankLines.Replace(text, "\n\n");
        return string.Join('\n', text.Split('\n').Select(line => line.Trim())).Trim();
    }

    /// <summary>Whether decoded text without an extension starts like an HTML document.</summary>
    internal static bool LooksLikeHtml(string text)
    {
        var start = text.AsSpan().TrimStart();
        return start.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase)
            || start.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }
}
