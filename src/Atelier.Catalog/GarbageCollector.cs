using Atelier.Core;

namespace Atelier.Catalog;

public sealed record GcReport(int BlobsScanned, int OrphansFound, int OrphansRemoved, long BytesRemoved, int StagingRemoved, bool DryRun, IReadOnlyList<string> Orphans);

/// <summary>
/// Removes blobs no live work references, and leftovers of interrupted imports. Only blobs older than
/// <c>minAge</c> go, because an import in flight stores its blob a moment before its catalog row; with a
/// quiet catalog (no import running) <c>minAge</c> zero is safe.
/// </summary>
public sealed class GarbageCollector(ICatalogStore catalog, IBlobStore blobs, Staging staging, TimeProvider clock)
{
    public async Task<GcReport> CollectAsync(TimeSpan minAge, bool dryRun, CancellationToken ct = default)
    {
        var cutoff = clock.GetUtcNow() - minAge;
        int scanned = 0, removed = 0;
        long bytes = 0;
        var orphans = new List<string>();
        await foreach (var blob in blobs.ListAsync(ct).ConfigureAwait(false))
        {
            scanned++;
            if (blob.LastModified is { } modified && modified > cutoff)
            {
                continue;
            }

            if (await catalog.IsBlobReferencedAsync(blob.Sha256, ct).ConfigureAwait(false))
            {
                continue;
            }

            orphans.Add(blob.Sha256);
            if (!dryRun && await blobs.DeleteAsync(blob.Sha256, ct).ConfigureAwait(false))
            {
                removed++;
                bytes += blob.Length;
            }
        }

        var stagingRemoved = 0;
        if (!dryRun)
        {
            stagingRemoved += await staging.CleanAsync(cutoff).ConfigureAwait(false);
            stagingRemoved += await blobs.CleanStagingAsync(cutoff, ct).ConfigureAwait(false);
        }

        return new GcReport(scanned, orphans.Count, removed, bytes, stagingRemoved, dryRun, orphans);
    }
}
