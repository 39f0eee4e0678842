using Atelier.Core;
using Atelier.Transparency;

namespace Atelier.Catalog.Registration;

/// <summary>
/// The transparency library's state store over the catalog database. The sequencer names the queued
/// entries of the batch in flight before it appends, so the compare-and-swap that publishes a checkpoint
/// also gives those entries their indexes in the same transaction: an entry is never in a published
/// checkpoint without the catalog knowing where.
/// </summary>
internal sealed class DatabaseLogState(ILogStore db) : ILogStateStore
{
    private IReadOnlyList<long> _batch = [];

    /// <summary>The queue sequence numbers of the entries the next advance covers, in order.</summary>
    public void SetBatch(IReadOnlyList<long> seqs) => _batch = seqs;

    public async Task<LogState?> GetAsync(CancellationToken ct = default)
    {
        var row = await db.GetLogStateAsync(ct).ConfigureAwait(false);
        return row is null ? null : new LogState(row.Size, row.SignedCheckpoint);
    }

    public Task<bool> TryAdvanceAsync(long? expectedSize, LogState next, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(next);
        // Only appends carry entries; starting the empty log (size 0) assigns none.
        var seqs = next.Size == (expectedSize ?? 0) ? [] : _batch;
        return db.TryAdvanceLogAsync(expectedSize, new LogStateRecord(next.Size, next.SignedCheckpoint), seqs, ct);
    }
}
