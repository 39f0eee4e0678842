using Atelier.Core;
using Atelier.Fingerprints.Image;
using Atelier.Fingerprints.Text;
using Atelier.Media;

namespace Atelier.Catalog.Matching;

/// <summary>One registered work a suspect matches, with its grade, score and evidence.</summary>
public sealed record MatchResult(string WorkId, string Title, MediaKind Kind, string Grade, double Score, MatchEvidence Evidence);

/// <summary>
/// Why a suspect matches: the variant and distance for images, the copied passages for text, the aligned
/// stretch (and for a long suspect its timeline) for audio, and the registration of the original (when it
/// was registered and where it is in the transparency log, so the receipt proves the earlier registration).
/// </summary>
public sealed record MatchEvidence
{
    public string? Variant { get; init; }
    public int? Distance { get; init; }
    public double? SuspectShare { get; init; }
    public double? OriginalShare { get; init; }
    public IReadOnlyList<PassageEvidence>? Passages { get; init; }

    /// <summary>Audio: where the matched stretch starts in the original, in seconds.</summary>
    public double? OriginalStart { get; init; }

    /// <summary>Audio: where it starts in the suspect, in seconds.</summary>
    public double? QueryStart { get; init; }

    /// <summary>Audio: its length in the suspect, in seconds.</summary>
    public double? Duration { get; init; }

    /// <summary>Audio: how many times faster the suspect plays than the original (1 = same tempo).</summary>
    public double? Speed { get; init; }

    /// <summary>Audio: suspect frequencies over the original's (1 = same pitch).</summary>
    public double? Pitch { get; init; }

    /// <summary>Audio: <see cref="Pitch"/> in semitones (0 = same pitch).</summary>
    public double? PitchSemitones { get; init; }

    /// <summary>Audio: landmark hashes that agreed on the alignment.</summary>
    public int? MatchedHashes { get; init; }

    /// <summary>
    /// Audio, when the match was scanned in segments (a suspect over a minute long, or in the rescan a new work
    /// that long): every stretch where the recording plays, in suspect order.
    /// </summary>
    public IReadOnlyList<AudioSegmentEvidence>? Segments { get; init; }

    public required DateTimeOffset RegisteredAt { get; init; }
    public long? LogIndex { get; init; }
    public string? Sha256 { get; init; }
}

/// <summary>A copied passage: character spans (UTF-16 offsets) in the suspect and in the original.</summary>
public sealed record PassageEvidence(int SuspectStart, int SuspectEnd, int OriginalStart, int OriginalEnd, bool Approximate);

/// <summary>The answer for one suspect file: its matches, best first (empty when nothing matches).</summary>
public sealed record MatchReport(string Path, IReadOnlyList<MatchResult> Matches, string? Error = null);

/// <summary>
/// Match (../shared/DESIGN.md "Match and scan"): decode and fingerprint the suspect, ask the indexes for
/// candidates, verify and grade them, and attach the registration evidence. `exact` means the same bytes,
/// and for audio also the whole recording at its own speed and pitch (re-encoded, filtered or noisy).
/// A suspect recording over <see cref="AudioEvidence.LongQuerySeconds"/> is scanned into a timeline, and
/// each recording it holds is reported once, with its best stretch and all its stretches as evidence.
/// </summary>
public sealed class MatchService(ICatalogStore catalog, IMediaInspector inspector, FingerprintService fingerprints, MatchIndexes indexes, Rescan rescan, Staging staging)
{
    /// <summary>Matches one local file. Bad input comes back as a report with an error, never as an exception.</summary>
    public Task<MatchReport> MatchFileAsync(string path, long maxBytes, CancellationToken ct = default) => MatchFileAsync(path, maxBytes, keep: false, ct);

    /// <summary>
    /// Matches one local file and keeps it as a suspect with its findings, so it is re-checked against
    /// works registered later (reported by `scan --new`).
    /// </summary>
    public Task<MatchReport> ScanFileAsync(string path, long maxBytes, CancellationToken ct = default) => MatchFileAsync(path, maxBytes, keep: true, ct);

    private async Task<MatchReport> MatchFileAsync(string path, long maxBytes, bool keep, CancellationToken ct)
    {
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            StagedContent staged;
            await using (stream.ConfigureAwait(false))
            {
                staged = await staging.StageAsync(stream, maxBytes, ct).ConfigureAwait(false);
            }

            await using (staged.ConfigureAwait(false))
            {
                var (report, query) = await MatchCoreAsync(staged, Path.GetFileName(path), ct).ConfigureAwait(false);
                report = report with { Path = path };
                if (keep && query is not null)
                {
                    await rescan.KeepSuspectAsync(path, staged.Sha256, query, report, ct).ConfigureAwait(false);
                }

                return report;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BlobTooLargeException)
        {
            return new MatchReport(path, [], ex is BlobTooLargeException ? ex.Message : "unreadable: " + ex.Message);
        }
    }

    public async Task<MatchReport> MatchStagedAsync(StagedContent staged, string fileName, CancellationToken ct = default) =>
        (await MatchCoreAsync(staged, fileName, ct).ConfigureAwait(false)).Report;

    private async Task<(MatchReport Report, QueryFingerprints? Query)> MatchCoreAsync(StagedContent staged, string fileName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(staged);
        await indexes.EnsureLoadedAsync(catalog, ct).ConfigureAwait(false);
        var results = new List<MatchResult>();
        var exact = await catalog.FindBySha256Async(staged.Sha256, ct).ConfigureAwait(false);
        if (exact is not null)
        {
            results.Add(new MatchResult(exact.Id, exact.Title, exact.Kind, "exact", 1.0, await EvidenceAsync(exact, new MatchEvidence { RegisteredAt = exact.RegisteredAt }, ct).ConfigureAwait(false)));
        }

        QueryFingerprints query;
        try
        {
            var inspection = await inspector.InspectAsync(staged.Path, fileName, ct).ConfigureAwait(false);
            query = await fingerprints.ComputeAsync(staged.Path, fileName, inspection, ct).ConfigureAwait(false);
        }
        catch (MediaException ex)
        {
            return (new MatchReport(fileName, results, exact is null ? ex.Message : null), null);
        }

        if (query.Image is not null)
        {
            foreach (var m in indexes.Images.Match(query.Image))
            {
                if (m.WorkId == exact?.Id || await catalog.GetWorkAsync(m.WorkId, ct).ConfigureAwait(false) is not { DeletedAt: null } work)
                {
                    continue;
                }

                var evidence = new MatchEvidence { Variant = m.Variant, Distance = m.Distance, RegisteredAt = work.RegisteredAt };
                results.Add(new MatchResult(work.Id, work.Title, work.Kind, m.Grade.ToWire(), m.Score, await EvidenceAsync(work, evidence, ct).ConfigureAwait(false)));
            }
        }

        if (query.Text is not null)
        {
            foreach (var m in indexes.Texts.Match(query.Text))
            {
                if (m.WorkId == exact?.Id || await catalog.GetWorkAsync(m.WorkId, ct).ConfigureAwait(false) is not { DeletedAt: null } work)
                {
                    continue;
                }

                var evidence = new MatchEvidence
                {
                    SuspectShare = m.SuspectShare,
                    OriginalShare = m.OriginalShare,
                    Passages = [.. m.Passages.Select(p => new PassageEvidence(p.Suspect.Start, p.Suspect.End, p.Original.Start, p.Original.End, p.IsApproximate))],
                    RegisteredAt = work.RegisteredAt,
                };
                results.Add(new MatchResult(work.Id, work.Title, work.Kind, TextGrade(m.Grade), m.Score, await EvidenceAsync(work, evidence, ct).ConfigureAwait(false)));
            }
        }

        if (query.Audio is not null)
        {
            foreach (var (best, timeline) in AudioEvidence.Find(indexes.Audio, query.Audio))
            {
                if (best.WorkId == exact?.Id || await catalog.GetWorkAsync(best.WorkId, ct).ConfigureAwait(false) is not { DeletedAt: null } work)
                {
                    continue;
                }

                var evidence = AudioEvidence.Describe(best, timeline, work.RegisteredAt);
                results.Add(new MatchResult(work.Id, work.Title, work.Kind, AudioEvidence.Grade(best.Grade), best.Score, await EvidenceAsync(work, evidence, ct).ConfigureAwait(false)));
            }
        }

        return (new MatchReport(fileName, [.. results.OrderByDescending(r => r.Grade == "exact").ThenByDescending(r => r.Score)]), query);
    }

    private async Task<MatchEvidence> EvidenceAsync(Work work, MatchEvidence evidence, CancellationToken ct)
    {
        var entry = await catalog.GetLogEntryForWorkAsync(work.Id, ct).ConfigureAwait(false);
        return evidence with { LogIndex = entry?.LogIndex, Sha256 = work.Sha256 };
    }

    internal static string TextGrade(TextMatchGrade grade) => grade switch
    {
        TextMatchGrade.NearExact => "near-exact",
        TextMatchGrade.Transformed => "transformed",
        _ => "partial",
    };
}
