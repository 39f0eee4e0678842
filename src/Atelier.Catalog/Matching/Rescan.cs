using System.Runtime.CompilerServices;
using System.Text.Json;
using Atelier.Core;
using Atelier.Fingerprints.Audio;
using Atelier.Fingerprints.Image;

namespace Atelier.Catalog.Matching;

/// <summary>
/// The rescan (../shared/DESIGN.md "Import", step 7): scanned suspects are kept with their fingerprints;
/// when a work is registered, the suspects are searched with the new work's fingerprints — the roles of
/// the usual match swapped — and each new match is recorded for `atelier scan --new`.
/// </summary>
public sealed class Rescan(ICatalogStore catalog, TimeProvider clock) : IDisposable
{
    /// <summary>How much of a recording a match must cover to count as the whole of it.</summary>
    private const double WholeShare = 0.9;

    private readonly FingerprintIndex _suspects = new();

    /// <summary>Keeps a scanned suspect and the findings the scan reported.</summary>
    public async Task KeepSuspectAsync(string path, string sha256, QueryFingerprints query, MatchReport report, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(report);
        var now = clock.GetUtcNow();
        var id = await catalog.PutSuspectAsync(Path.GetFullPath(path), sha256, query.ToRecords(), now, ct).ConfigureAwait(false);
        foreach (var m in report.Matches)
        {
            await catalog.AddFindingAsync(id, m.WorkId, m.Grade, m.Score, JsonSerializer.Serialize(m.Evidence, AtelierJson.Options), now, reportedAt: now, ct).ConfigureAwait(false);
        }

        _suspects.Add(Key(id), query);
    }

    /// <summary>Searches the kept suspects with a newly registered work; returns how many new findings it recorded.</summary>
    public async Task<int> CheckNewWorkAsync(Work work, QueryFingerprints prints, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(prints);
        if (!prints.Any)
        {
            return 0;
        }

        await _suspects.EnsureLoadedAsync(algorithm => ListAsync(algorithm, ct), ct).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var found = 0;
        if (prints.Image is not null)
        {
            foreach (var m in _suspects.Images.Match(prints.Image))
            {
                var evidence = new MatchEvidence { Variant = m.Variant, Distance = m.Distance, RegisteredAt = work.RegisteredAt, Sha256 = work.Sha256 };
                found += await RecordAsync(m.WorkId, work, m.Grade.ToWire(), m.Score, evidence, now, ct).ConfigureAwait(false);
            }
        }

        if (prints.Text is not null)
        {
            foreach (var m in _suspects.Texts.Match(prints.Text))
            {
                // Here the new work was the query, so the aligner's "suspect" side is the registered work.
                var evidence = new MatchEvidence
                {
                    SuspectShare = m.OriginalShare,
                    OriginalShare = m.SuspectShare,
                    Passages = [.. m.Passages.Select(p => new PassageEvidence(p.Original.Start, p.Original.End, p.Suspect.Start, p.Suspect.End, p.IsApproximate))],
                    RegisteredAt = work.RegisteredAt,
                    Sha256 = work.Sha256,
                };
                found += await RecordAsync(m.WorkId, work, MatchService.TextGrade(m.Grade), m.Score, evidence, now, ct).ConfigureAwait(false);
            }
        }

        if (prints.Audio is not null)
        {
            foreach (var (best, timeline) in AudioEvidence.Find(_suspects.Audio, prints.Audio))
            {
                // The new work was the query: turn each stretch round so "query" means the suspect again.
                var stretches = timeline?.Select(AudioEvidence.Swap).OrderBy(m => m.QueryStart).ToList();
                var evidence = AudioEvidence.Describe(AudioEvidence.Swap(best), stretches, work.RegisteredAt) with { Sha256 = work.Sha256 };
                found += await RecordAsync(best.WorkId, work, SwappedGrade(best, prints.Audio.DurationSeconds), best.Score, evidence, now, ct).ConfigureAwait(false);
            }
        }

        return found;
    }

    /// <summary>
    /// Seen from the suspect's side, `exact` needs the suspect to hold the whole new work; the index judged
    /// wholeness with the roles swapped, so a suspect that is a mere excerpt is held to `partial` here.
    /// </summary>
    private static string SwappedGrade(AudioMatch m, double workSeconds) =>
        m.Grade == AudioMatchGrade.Exact && m.Duration < WholeShare * workSeconds ? "partial" : AudioEvidence.Grade(m.Grade);

    private async Task<int> RecordAsync(string suspectKey, Work work, string grade, double score, MatchEvidence evidence, DateTimeOffset now, CancellationToken ct)
    {
        var entry = await catalog.GetLogEntryForWorkAsync(work.Id, ct).ConfigureAwait(false);
        evidence = evidence with { LogIndex = entry?.LogIndex };
        var json = JsonSerializer.Serialize(evidence, AtelierJson.Options);
        return await catalog.AddFindingAsync(long.Parse(suspectKey, System.Globalization.CultureInfo.InvariantCulture), work.Id, grade, score, json, now, reportedAt: null, ct).ConfigureAwait(false) ? 1 : 0;
    }

    private async IAsyncEnumerable<(string, byte[])> ListAsync(string algorithm, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var (id, data) in catalog.ListSuspectFingerprintsAsync(algorithm, ct).ConfigureAwait(false))
        {
            yield return (Key(id), data);
        }
    }

    private static string Key(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => _suspects.Dispose();
}
