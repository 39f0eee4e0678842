using Atelier.Core;

namespace Atelier.Catalog;

/// <summary>A work with its history, as `works show` and GET /api/works/{id} present it.</summary>
public sealed record WorkDetails(Work Work, IReadOnlyList<WorkEvent> History);

public enum ContentStatus
{
    Found,
    Deleted,
    Missing,
}

/// <summary>Reading and removing works: the queries the hosts need, in one place.</summary>
public sealed class WorkService(ICatalogStore catalog, IBlobStore blobs, Matching.MatchIndexes indexes, TimeProvider clock)
{
    public const int MaxPageSize = 500;

    public Task<WorkPage> ListAsync(WorkQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = query with
        {
            Offset = Math.Max(0, query.Offset),
            Limit = Math.Clamp(query.Limit, 1, MaxPageSize),
            TitleContains = string.IsNullOrWhiteSpace(query.TitleContains) ? null : query.TitleContains.Trim(),
            Tag = string.IsNullOrWhiteSpace(query.Tag) ? null : query.Tag.Trim(),
        };
        return catalog.ListWorksAsync(q, ct);
    }

    public async Task<WorkDetails?> GetAsync(string id, CancellationToken ct = default)
    {
        var work = await FindAsync(id, ct).ConfigureAwait(false);
        if (work is null)
        {
            return null;
        }

        var history = await catalog.GetHistoryAsync(id, ct).ConfigureAwait(false);
        return new WorkDetails(work, history);
    }

    /// <summary>The work, deleted or not, without its history; null for an unknown or malformed id.</summary>
    public Task<Work?> FindAsync(string id, CancellationToken ct = default) =>
        WorkId.IsValid(id) ? catalog.GetWorkAsync(id, ct) : Task.FromResult<Work?>(null);

    /// <summary>Opens a live work's content for a range (whole when <paramref name="length"/> is null).</summary>
    public async Task<(ContentStatus Status, Stream? Content)> OpenContentAsync(Work work, long offset, long? length, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (work.DeletedAt is not null)
        {
            return (ContentStatus.Deleted, null);
        }

        var stream = await blobs.OpenReadAsync(work.Sha256, offset, length, ct).ConfigureAwait(false);
        return stream is null ? (ContentStatus.Missing, null) : (ContentStatus.Found, stream);
    }

    /// <summary>Removes a work from the catalog listing; its record and history stay.</summary>
    public async Task<bool> DeleteAsync(string id, string? actor, CancellationToken ct = default)
    {
        if (!WorkId.IsValid(id) || !await catalog.DeleteWorkAsync(id, clock.GetUtcNow(), actor, ct).ConfigureAwait(false))
        {
            return false;
        }

        indexes.Remove(id);
        return true;
    }
}
