namespace Atelier.Core;

/// <summary>A scanned suspect file, kept so it can be re-checked when new works are registered.</summary>
public sealed record SuspectRecord(long Id, string Path, string Sha256, DateTimeOffset ScannedAt);

/// <summary>
/// A match found between a suspect and a registered work. <see cref="Evidence"/> is the match's evidence
/// as JSON (the catalog does not look inside). <see cref="ReportedAt"/> is null until `scan --new` has
/// shown it; matches found by a scan are reported by that scan.
/// </summary>
public sealed record ScanFinding(long SuspectId, string SuspectPath, string WorkId, string Grade, double Score, string Evidence, DateTimeOffset FoundAt, DateTimeOffset? ReportedAt);

/// <summary>
/// Scan results in the catalog database (../shared/DESIGN.md "Import", step 7, the rescan): suspects with
/// their fingerprints, and the findings against registered works.
/// </summary>
public interface ISuspectStore
{
    /// <summary>
    /// Records a scanned suspect with its fingerprints. A suspect with the same SHA-256 is the same suspect:
    /// its path and scan time are updated and its fingerprints replaced. Returns the suspect's id.
    /// </summary>
    Task<long> PutSuspectAsync(string path, string sha256, IReadOnlyList<FingerprintRecord> fingerprints, DateTimeOffset scannedAt, CancellationToken ct = default);

    Task<SuspectRecord?> GetSuspectAsync(long id, CancellationToken ct = default);

    /// <summary>Every suspect fingerprint of one algorithm, streamed in suspect-id order.</summary>
    IAsyncEnumerable<(long SuspectId, byte[] Data)> ListSuspectFingerprintsAsync(string algorithm, CancellationToken ct = default);

    /// <summary>
    /// Records a finding; a finding for the same suspect and work already recorded is kept as it is and
    /// false is returned.
    /// </summary>
    Task<bool> AddFindingAsync(long suspectId, string workId, string grade, double score, string evidence, DateTimeOffset foundAt, DateTimeOffset? reportedAt, CancellationToken ct = default);

    /// <summary>The findings not reported yet, oldest first, marked reported at <paramref name="reportedAt"/> in the same transaction.</summary>
    Task<IReadOnlyList<ScanFinding>> TakeUnreportedFindingsAsync(DateTimeOffset reportedAt, CancellationToken ct = default);
}
