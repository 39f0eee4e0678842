namespace Atelier.Core;

/// <summary>
/// An entry of the transparency log as the database keeps it: queued with a sequence number when its work
/// is registered, and given its log index when a sequencer has put it in a signed checkpoint.
/// </summary>
public sealed record LogQueueEntry(long Seq, string? WorkId, byte[] Entry, DateTimeOffset CreatedAt, long? LogIndex);

/// <summary>The log's sequencing state: its size and the signed checkpoint (a C2SP signed note) for it.</summary>
public sealed record LogStateRecord(long Size, byte[] SignedCheckpoint);

/// <summary>
/// The database side of the transparency log: a durable queue of entries waiting to be sequenced, the
/// sequencing state with its compare-and-swap, and the lease that lets exactly one process sequence at a
/// time (../shared/DESIGN.md "Scale"). Implemented by every catalog store provider, in the same database,
/// so a work and its registration entry are written in one transaction.
/// </summary>
public interface ILogStore
{
    /// <summary>Queues an entry not tied to a work registration (licence events, later). Returns its sequence number.</summary>
    Task<long> EnqueueLogEntryAsync(string? workId, byte[] entry, CancellationToken ct = default);

    /// <summary>Up to <paramref name="max"/> entries still waiting for an index, oldest sequence number first.</summary>
    Task<IReadOnlyList<LogQueueEntry>> GetPendingLogEntriesAsync(int max, CancellationToken ct = default);

    Task<LogQueueEntry?> GetLogEntryAsync(long seq, CancellationToken ct = default);

    /// <summary>The registration entry of a work (deleted works too); null when it has none.</summary>
    Task<LogQueueEntry?> GetLogEntryForWorkAsync(string workId, CancellationToken ct = default);

    /// <summary>The latest state; null when the log was never started.</summary>
    Task<LogStateRecord?> GetLogStateAsync(CancellationToken ct = default);

    /// <summary>
    /// In one transaction: if the stored size equals <paramref name="expectedSize"/> (null: no state stored
    /// yet) and <paramref name="next"/> is larger (any size for the first state), stores <paramref name="next"/>
    /// and gives the queued entries <paramref name="sequencedSeqs"/> the indexes expectedSize, expectedSize+1, …
    /// in that order. <c>next.Size - (expectedSize ?? 0)</c> must equal the number of seqs. Returns false,
    /// changing nothing, when the state moved on (another sequencer) or an entry already has an index.
    /// </summary>
    Task<bool> TryAdvanceLogAsync(long? expectedSize, LogStateRecord next, IReadOnlyList<long> sequencedSeqs, CancellationToken ct = default);

    /// <summary>
    /// Takes or renews the named lease for <paramref name="holder"/> until now + <paramref name="ttl"/>.
    /// True when the caller holds it afterwards; false while another holder's lease is unexpired.
    /// </summary>
    Task<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan ttl, CancellationToken ct = default);

    /// <summary>Gives the lease up if <paramref name="holder"/> holds it.</summary>
    Task ReleaseLeaseAsync(string name, string holder, CancellationToken ct = default);
}
