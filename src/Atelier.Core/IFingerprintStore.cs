namespace Atelier.Core;

/// <summary>
/// One fingerprint blob of a work, by algorithm name (for example "image/v1", "text/v1", "audio/v1").
/// The bytes are the algorithm's own compact serialisation; the catalog does not look inside.
/// </summary>
public sealed record FingerprintRecord(string Algorithm, byte[] Data);

/// <summary>A stored fingerprint with the work it belongs to.</summary>
public sealed record WorkFingerprint(string WorkId, string Algorithm, byte[] Data);

/// <summary>
/// Fingerprints in the catalog database, written with their work in one transaction
/// (<see cref="ICatalogStore.AddWorkAsync"/>) and read back in bulk to rebuild the in-memory match
/// indexes at start (../shared/DESIGN.md "Scale").
/// </summary>
public interface IFingerprintStore
{
    /// <summary>The fingerprints of a work (deleted works too), in the order they were written.</summary>
    Task<IReadOnlyList<FingerprintRecord>> GetFingerprintsAsync(string workId, CancellationToken ct = default);

    /// <summary>
    /// Every fingerprint of <paramref name="algorithm"/> belonging to a live work, streamed in work-id order
    /// without loading them all at once.
    /// </summary>
    IAsyncEnumerable<WorkFingerprint> ListFingerprintsAsync(string algorithm, CancellationToken ct = default);

    /// <summary>Adds or replaces one fingerprint of an existing work (re-fingerprinting after an algorithm upgrade).</summary>
    Task PutFingerprintAsync(string workId, FingerprintRecord fingerprint, CancellationToken ct = default);
}
