namespace Atelier.Core;

/// <summary>Filter and page for listing works. Deleted works are never listed.</summary>
public sealed record WorkQuery
{
    public MediaKind? Kind { get; init; }
    public string? Tag { get; init; }
    /// <summary>Case-insensitive substring of the title (Chinese works as-is).</summary>
    public string? TitleContains { get; init; }
    /// <summary>Zero-based index of the first work to return, in registration order (oldest first).</summary>
    public int Offset { get; init; }
    public int Limit { get; init; } = 50;
}

public sealed record WorkPage(IReadOnlyList<Work> Items, long Total);

/// <summary>One line of a work's history: registered, deleted, and later licence events.</summary>
public sealed record WorkEvent(string WorkId, DateTimeOffset At, string Type, string? Actor, string? Detail);

/// <summary>The outcome of <see cref="ICatalogStore.AddWorkAsync"/>.</summary>
public sealed record AddWorkResult(bool Added, string WorkId, long? LogSeq = null)
{
    public static AddWorkResult Inserted(string id, long? logSeq = null) => new(true, id, logSeq);
    public static AddWorkResult Duplicate(string existingId) => new(false, existingId);
}

/// <summary>
/// The catalog database: works, their history, and API keys. One implementation per provider
/// (SQLite, PostgreSQL); one conformance suite runs against each. Every method is safe to call from
/// several threads and several processes at once.
/// </summary>
public interface ICatalogStore : ILogStore, IFingerprintStore, ISuspectStore, IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema. Idempotent; safe when several processes start together.</summary>
    Task MigrateAsync(CancellationToken ct = default);

    /// <summary>
    /// Inserts the work with its contributors, tags and a "registered" event in one transaction.
    /// When a live (not deleted) work already has the same SHA-256, nothing is written and the
    /// existing id is returned; this holds under concurrent writers. When <paramref name="logEntry"/> is
    /// given it is queued for the transparency log (see <see cref="ILogStore"/>) in the same transaction,
    /// and the result carries its sequence number. <paramref name="fingerprints"/> are stored in the same
    /// transaction (see <see cref="IFingerprintStore"/>).
    /// </summary>
    Task<AddWorkResult> AddWorkAsync(Work work, string? actor, byte[]? logEntry = null, IReadOnlyList<FingerprintRecord>? fingerprints = null, CancellationToken ct = default);

    /// <summary>The work, deleted or not; null when the id is unknown.</summary>
    Task<Work?> GetWorkAsync(string id, CancellationToken ct = default);

    /// <summary>The live work with this content hash, if any.</summary>
    Task<Work?> FindBySha256Async(string sha256, CancellationToken ct = default);

    Task<WorkPage> ListWorksAsync(WorkQuery query, CancellationToken ct = default);

    /// <summary>Marks the work deleted and appends a "deleted" event. False when unknown or already deleted.</summary>
    Task<bool> DeleteWorkAsync(string id, DateTimeOffset at, string? actor, CancellationToken ct = default);

    Task<IReadOnlyList<WorkEvent>> GetHistoryAsync(string workId, CancellationToken ct = default);

    /// <summary>True when a live work references the content hash (used by blob garbage collection).</summary>
    Task<bool> IsBlobReferencedAsync(string sha256, CancellationToken ct = default);

    Task AddApiKeyAsync(ApiKey key, CancellationToken ct = default);

    /// <summary>The key with this secret hash, revoked or not; null when none.</summary>
    Task<ApiKey?> FindApiKeyBySecretHashAsync(string secretHash, CancellationToken ct = default);

    Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(CancellationToken ct = default);

    /// <summary>Revokes the key. False when unknown or already revoked.</summary>
    Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset at, CancellationToken ct = default);
}
