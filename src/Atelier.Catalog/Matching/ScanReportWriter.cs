using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Atelier.Core;
using Atelier.Media;
using Atelier.Media.Images;
using Atelier.Media.Text;

namespace Atelier.Catalog.Matching;

/// <summary>
/// Writes a scan's results as JSON, CSV or a self-contained HTML page (chosen by the file's extension).
/// The HTML shows each suspect beside the registered work it matches: thumbnails for images, for text
/// the two passages side by side with the copied part highlighted, and for audio where the stretch lies in
/// both recordings with its speed and pitch, plus the timeline of a long suspect (which work plays from when
/// to when). Everything taken from files (names, titles, text) is escaped; thumbnails are embedded as data
/// URIs so the page stands alone.
/// </summary>
public sealed class ScanReportWriter(ICatalogStore catalog, IBlobStore blobs, Staging staging, MediaOptions media)
{
    private const int ThumbnailSide = 200;
    private const int ContextChars = 160;
    private const int MaxPassagesShown = 5;
    private const int MaxExcerptChars = 1600;

    public static IReadOnlyList<string> Formats { get; } = [".html", ".json", ".csv"];

    public async Task WriteAsync(string outputPath, IReadOnlyList<MatchReport> reports, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var ext = Path.GetExtension(outputPath).ToLowerInvariant();
        var tmp = outputPath + ".tmp";
        var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            var writer = new StreamWriter(file, new UTF8Encoding(false));
            await using (writer.ConfigureAwait(false))
            {
                switch (ext)
                {
                    case ".json":
                        await writer.WriteAsync(JsonSerializer.Serialize(new { generatedAt = DateTimeOffset.UtcNow, files = reports }, AtelierJson.Indented)).ConfigureAwait(false);
                        break;
                    case ".csv":
                        await WriteCsvAsync(writer, reports).ConfigureAwait(false);
                        break;
                    case ".html":
                        await WriteHtmlAsync(writer, reports, ct).ConfigureAwait(false);
                        break;
                    default:
                        throw new ArgumentException($"unknown report format '{ext}': use {string.Join(", ", Formats)}", nameof(outputPath));
                }
            }
        }

        File.Move(tmp, outputPath, overwrite: true);
    }

    private const string CsvHeader = "suspect,error,work_id,title,kind,grade,score,variant,distance,suspect_share,original_share,registered_at,log_index,"
        + "suspect_start,suspect_end,original_start,original_end,speed,pitch_semitones,matched_hashes,timeline";

    /// <summary>
    /// One row per match. Audio times are m:ss.s, speed a percentage and pitch signed semitones, which
    /// spreadsheets read as durations and numbers; a long suspect's stretches of the work go in `timeline`.
    /// </summary>
    private static async Task WriteCsvAsync(TextWriter w, IReadOnlyList<MatchReport> reports)
    {
        await w.WriteLineAsync(CsvHeader).ConfigureAwait(false);
        var emptyCells = new string(',', CsvHeader.Count(c => c == ',') - 1);
        foreach (var r in reports)
        {
            if (r.Matches.Count == 0)
            {
                await w.WriteLineAsync(Csv(r.Path, r.Error) + emptyCells).ConfigureAwait(false);
                continue;
            }

            foreach (var m in r.Matches)
            {
                var e = m.Evidence;
                await w.WriteLineAsync(Csv(
                    r.Path, r.Error, m.WorkId, m.Title, m.Kind.ToWire(), m.Grade, m.Score.ToString("0.####", CultureInfo.InvariantCulture),
                    e.Variant, e.Distance?.ToString(CultureInfo.InvariantCulture),
                    e.SuspectShare?.ToString("0.####", CultureInfo.InvariantCulture), e.OriginalShare?.ToString("0.####", CultureInfo.InvariantCulture),
                    e.RegisteredAt.ToString("O", CultureInfo.InvariantCulture), e.LogIndex?.ToString(CultureInfo.InvariantCulture),
                    Time(e.QueryStart), Time(e.QueryStart + e.Duration), Time(e.OriginalStart), Time(e.OriginalStart + (e.Duration * e.Speed)),
                    e.Speed is { } speed ? AudioEvidence.Speed(speed) : null,
                    e.PitchSemitones?.ToString("+0.0;-0.0;+0.0", CultureInfo.InvariantCulture),
                    e.MatchedHashes?.ToString(CultureInfo.InvariantCulture),
                    e.Segments is { } segments ? string.Join("; ", segments.Select(Stretch)) : null)).ConfigureAwait(false);
            }
        }
    }

    private static string? Time(double? seconds) => seconds is { } s ? AudioEvidence.Time(s) : null;

    private static string Stretch(AudioSegmentEvidence s) =>
        $"{AudioEvidence.Span(s.QueryStart, s.QueryEnd)} = original {AudioEvidence.Span(s.OriginalStart, s.OriginalEnd)}";

    /// <summary>
    /// RFC 4180 quoting; cells that a spreadsheet would run as a formula get a leading apostrophe. A plain
    /// number ("-2.0") cannot run as one, so it stays a number.
    /// </summary>
    private static string Csv(params string?[] cells) => string.Join(',', cells.Select(c =>
    {
        var v = c ?? "";
        if (v.Length > 0 && "=+-@\t\r".Contains(v[0], StringComparison.Ordinal) && !double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            v = "'" + v;
        }

        return v.IndexOfAny([',', '"', '\n', '\r']) >= 0 || v != v.Trim() ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
    }));

    private async Task WriteHtmlAsync(TextWriter w, IReadOnlyList<MatchReport> reports, CancellationToken ct)
    {
        var matched = reports.Count(r => r.Matches.Count > 0);
        await w.WriteLineAsync($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Atelier scan report</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
            section{border-top:1px solid #ccc;padding:1rem 0}
            .pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem;align-items:start}
            figure{margin:0} img{max-width:200px;max-height:200px;border:1px solid #ddd}
            pre{white-space:pre-wrap;background:#fafafa;border:1px solid #eee;padding:.5rem;font-size:.9rem}
            mark{background:#ffe066} .grade{font-weight:bold} .muted{color:#777}
            table{border-collapse:collapse;margin:.5rem 0} th,td{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}
            caption{text-align:left;font-weight:bold}
            </style></head><body>
            <h1>Atelier scan report</h1>
            <p>{{reports.Count}} file(s) scanned, {{matched}} with matches. Generated {{DateTimeOffset.UtcNow:u}}.</p>
            """).ConfigureAwait(false);
        foreach (var r in reports.Where(r => r.Matches.Count > 0 || r.Error is not null))
        {
            await w.WriteLineAsync($"<section><h2>{H(r.Path)}</h2>").ConfigureAwait(false);
            if (r.Error is not null)
            {
                await w.WriteLineAsync($"<p class=\"muted\">{H(r.Error)}</p>").ConfigureAwait(false);
            }

            string? suspectText = null;
            var timeline = AudioEvidence.Timeline(r.Matches);
            if (timeline.Count > 0)
            {
                await w.WriteLineAsync("<table><caption>Timeline of the suspect</caption><tr><th>suspect from–to</th><th>work</th><th>original from–to</th><th>speed</th><th>pitch</th><th>score</th></tr>").ConfigureAwait(false);
                foreach (var (s, m) in timeline)
                {
                    await w.WriteLineAsync($"<tr><td>{AudioEvidence.Span(s.QueryStart, s.QueryEnd)}</td><td>{H(m.Title)} <span class=\"muted\">{H(m.WorkId)}</span></td><td>{AudioEvidence.Span(s.OriginalStart, s.OriginalEnd)}</td><td>{AudioEvidence.Speed(s.Speed)}</td><td>{AudioEvidence.Semitones(s.PitchSemitones)}</td><td>{s.Score:0.00}</td></tr>").ConfigureAwait(false);
                }

                await w.WriteLineAsync("</table>").ConfigureAwait(false);
            }

            foreach (var m in r.Matches)
            {
                var work = await catalog.GetWorkAsync(m.WorkId, ct).ConfigureAwait(false);
                var e = m.Evidence;
                await w.WriteLineAsync($"<p><span class=\"grade\">{H(m.Grade)}</span> ({m.Score:0.00}) — {H(m.Title)} <span class=\"muted\">{H(m.WorkId)}, registered {e.RegisteredAt:u}{(e.LogIndex is { } i ? $", log entry {i}" : "")}{(e.Variant is null ? "" : ", " + H(e.Variant))}</span></p>").ConfigureAwait(false);
                if (AudioEvidence.Text(e) is { } heard)
                {
                    await w.WriteLineAsync($"<p class=\"audio\">{H(heard)}, {e.MatchedHashes} matching hashes</p>").ConfigureAwait(false);
                }

                if (work is null)
                {
                    continue;
                }

                if (work.Kind == MediaKind.Image)
                {
                    var suspect = Thumb(r.Path);
                    var original = await WithContentAsync(work, path => Task.FromResult(Thumb(path)), ct).ConfigureAwait(false);
                    await w.WriteLineAsync($"<div class=\"pair\"><figure>{suspect}<figcaption>suspect</figcaption></figure><figure>{original}<figcaption>registered: {H(work.OriginalFileName)}</figcaption></figure></div>").ConfigureAwait(false);
                }
                else if (work.Kind == MediaKind.Text && e.Passages is { Count: > 0 } passages)
                {
                    suspectText ??= await LoadTextAsync(r.Path, ct).ConfigureAwait(false);
                    var originalText = await WithContentAsync(work, p => LoadTextAsync(p, ct, work.OriginalFileName), ct).ConfigureAwait(false);
                    foreach (var p in passages.Take(MaxPassagesShown))
                    {
                        await w.WriteLineAsync($"<div class=\"pair\"><pre>{Excerpt(suspectText, p.SuspectStart, p.SuspectEnd)}</pre><pre>{Excerpt(originalText, p.OriginalStart, p.OriginalEnd)}</pre></div>").ConfigureAwait(false);
                    }
                }
            }

            await w.WriteLineAsync("</section>").ConfigureAwait(false);
        }

        await w.WriteLineAsync("</body></html>").ConfigureAwait(false);
    }

    private string Thumb(string path)
    {
        try
        {
            return $"<img alt=\"\" src=\"data:image/jpeg;base64,{Convert.ToBase64String(Thumbnails.Jpeg(path, ThumbnailSide, media))}\">";
        }
        catch (MediaException ex)
        {
            return $"<span class=\"muted\">(no preview: {H(ex.Message)})</span>";
        }
    }

    private async Task<string?> LoadTextAsync(string path, CancellationToken ct, string? name = null)
    {
        try
        {
            return (await TextLoader.LoadAsync(path, name ?? Path.GetFileName(path), media, ct).ConfigureAwait(false)).Text;
        }
        catch (MediaException)
        {
            return null;
        }
    }

    /// <summary>Copies the work's content to a local staging file for the duration of <paramref name="use"/>.</summary>
    private async Task<T?> WithContentAsync<T>(Work work, Func<string, Task<T>> use, CancellationToken ct)
    {
        var stream = await blobs.OpenReadAsync(work.Sha256, 0, null, ct).ConfigureAwait(false);
        if (stream is null)
        {
            return default;
        }

        StagedContent staged;
        await using (stream.ConfigureAwait(false))
        {
            staged = await staging.StageAsync(stream, long.MaxValue, ct).ConfigureAwait(false);
        }

        await using (staged.ConfigureAwait(false))
        {
            return await use(staged.Path).ConfigureAwait(false);
        }
    }

    private static string Excerpt(string? text, int start, int end)
    {
        if (text is null || start < 0 || end > text.Length || start >= end)
        {
            return "<span class=\"muted\">(text unavailable)</span>";
        }

        var from = Math.Max(0, start - ContextChars);
        var to = Math.Min(text.Length, end + ContextChars);
        var marked = text[start..end];
        if (marked.Length > MaxExcerptChars)
        {
            marked = marked[..(MaxExcerptChars / 2)] + " … " + marked[^(MaxExcerptChars / 2)..];
        }

        return $"{(from > 0 ? "…" : "")}{H(text[from..start])}<mark>{H(marked)}</mark>{H(text[end..to])}{(to < text.Length ? "…" : "")}";
    }

    private static string H(string? s) => WebUtility.HtmlEncode(s ?? "");
}
