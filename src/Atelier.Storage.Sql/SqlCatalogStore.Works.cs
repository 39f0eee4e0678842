using System.Data.Common;
using System.Text;
using Atelier.Core;

namespace Atelier.Storage.Sql;

public abstract partial class SqlCatalogStore
{
    /// <summary>The page size ListWorksAsync never exceeds.</summary>
    public const int MaxPageSize = 500;

    /// <summary>The longest <see cref="WorkQuery.TitleContains"/> accepted (SQLite caps LIKE patterns at 50,000 bytes).</summary>
    public const int MaxTitleSearchLength = 1000;

    private const string RegisteredEvent = "registered";
    private const string DeletedEvent = "deleted";

    // A deleted work can free the hash between our failed insert and our lookup; try again a few times.
    private const int AddAttempts = 3;

    private const string WorkColumns =
        "w.id, w.title, w.kind, w.original_file_name, w.media_type, w.byte_size, w.sha256, w.registered_at, w.metadata, w.deleted_at";

    /// <inheritdoc />
    /// <remarks>
    /// At most <see cref="MaxFingerprintsPerWork"/> fingerprints, each checked as
    /// <see cref="PutFingerprintAsync"/> checks it. One algorithm given twice fails on the primary key
    /// with an <see cref="ArgumentException"/>, and nothing is stored.
    /// </remarks>
    public async Task<AddWorkResult> AddWorkAsync(Work work, string? actor, byte[]? logEntry = null, IReadOnlyList<FingerprintRecord>? fingerprints = null, CancellationToken ct = default)
    {
        ValidateWork(work);
        StoredText.Validate(actor, "the actor", nameof(actor));
        if (logEntry is not null)
        {
            ValidateLogEntry(logEntry, nameof(logEntry));
        }

        fingerprints ??= [];
        ValidateFingerprints(fingerprints, nameof(fingerprints));

        var metadata = MetadataJson.Serialize(work.Metadata);
        for (var attempt = 0; attempt < AddAttempts; attempt++)
        {
            var result = await InTransactionAsync(write: true,
                (connection, transaction) => TryAddWorkAsync(connection, transaction, work, metadata, actor, logEntry, fingerprints, ct), ct).ConfigureAwait(false);
            if (result is not null)
            {
                return result;
            }
        }

        throw new InvalidOperationException($"could not register work '{work.Id}': its content hash kept conflicting with works being deleted");
    }

    /// <summary>
    /// The work added, or the live work that already has its content; null when that work was
    /// deleted between our insert and our lookup.
    /// </summary>
    private async Task<AddWorkResult?> TryAddWorkAsync(DbConnection connection, DbTransaction transaction, Work work, string metadata, string? actor, byte[]? logEntry, IReadOnlyList<FingerprintRecord> fingerprints, CancellationToken ct)
    {
        bool inserted;
        try
        {
            inserted = await TryInsertWorkRowAsync(connection, transaction, work, metadata, ct).ConfigureAwait(false);
        }
        catch (DbException e) when (Dialect.IsUniqueViolation(e))
        {
            // ON CONFLICT absorbs live-hash clashes, so this is the id; but look, rather than assume,
            // in case a database reports the hash this way. PostgreSQL has aborted the transaction,
            // so the lookup runs after the rollback.
            await transaction.RollbackAsync(ct).ConfigureAwait(false);
            return await FindLiveIdAsync(connection, null, work.Sha256, ct).ConfigureAwait(false) is { } holder
                ? AddWorkResult.Duplicate(holder)
                : throw new InvalidOperationException($"a work with id '{work.Id}' already exists", e);
        }

        if (!inserted)
        {
            // The unique partial index on live hashes refused the row: a live work has the content.
            // Under READ COMMITTED this statement sees the row that won the race.
            var existing = await FindLiveIdAsync(connection, transaction, work.Sha256, ct).ConfigureAwait(false);
            await transaction.RollbackAsync(ct).ConfigureAwait(false);
            return existing is null ? null : AddWorkResult.Duplicate(existing);
        }

        await InsertWorkDetailsAsync(connection, transaction, work, actor, ct).ConfigureAwait(false);
        await InsertNewWorkFingerprintsAsync(connection, transaction, work.Id, fingerprints, ct).ConfigureAwait(false);
        long? logSeq = logEntry is null ? null : await InsertLogEntryAsync(connection, transaction, work.Id, logEntry, ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return AddWorkResult.Inserted(work.Id, logSeq);
    }

    /// <summary>Inserts the works row; false when a live work already has the hash.</summary>
    private async Task<bool> TryInsertWorkRowAsync(DbConnection connection, DbTransaction transaction, Work work, string metadata, CancellationToken ct)
    {
        // ON CONFLICT names the partial index's column and predicate, so only a live-hash clash is
        // absorbed (both databases wait for a concurrent inserter and then skip); an id clash still fails.
        var command = Command(connection, transaction, """
            INSERT INTO works (id, title, title_folded, kind, original_file_name, media_type, byte_size, sha256, registered_at, metadata)
            VALUES (@id, @title, @titleFolded, @kind, @fileName, @mediaType, @byteSize, @sha256, @registeredAt, @metadata)
            ON CONFLICT (sha256) WHERE deleted_at IS NULL DO NOTHING
            """);
        AddText(command, "id", work.Id);
        AddText(command, "title", work.Title);
        AddText(command, "titleFolded", TitleSearch.Fold(work.Title));
        AddText(command, "kind", work.Kind.ToWire());
        AddText(command, "fileName", work.OriginalFileName);
        AddText(command, "mediaType", work.MediaType);
        AddInt64(command, "byteSize", work.ByteSize);
        AddText(command, "sha256", work.Sha256);
        AddTime(command, "registeredAt", work.RegisteredAt);
        AddJson(command, "metadata", metadata);
        return await ExecuteAsync(command, ct).ConfigureAwait(false) == 1;
    }

    private async Task InsertWorkDetailsAsync(DbConnection connection, DbTransaction transaction, Work work, string? actor, CancellationToken ct)
    {
        for (var i = 0; i < work.Contributors.Count; i++)
        {
            var contributor = work.Contributors[i];
            var command = Command(connection, transaction, """
                INSERT INTO work_contributors (work_id, ordinal, name, role, share_basis_points)
                VALUES (@workId, @ordinal, @name, @role, @share)
                """);
            AddText(command, "workId", work.Id);
            AddInt32(command, "ordinal", i);
            AddText(command, "name", contributor.Name);
            AddText(command, "role", contributor.Role);
            AddInt32(command, "share", contributor.ShareBasisPoints);
            await ExecuteAsync(command, ct).ConfigureAwait(false);
        }

        for (var i = 0; i < work.Tags.Count; i++)
        {
            var command = Command(connection, transaction,
                "INSERT INTO work_tags (work_id, ordinal, tag) VALUES (@workId, @ordinal, @tag)");
            AddText(command, "workId", work.Id);
            AddInt32(command, "ordinal", i);
            AddText(command, "tag", work.Tags[i]);
            await ExecuteAsync(command, ct).ConfigureAwait(false);
        }

        await InsertEventAsync(connection, transaction, work.Id, work.RegisteredAt, RegisteredEvent, actor, ct).ConfigureAwait(false);
    }

    private Task<int> InsertEventAsync(DbConnection connection, DbTransaction transaction, string workId, DateTimeOffset at, string type, string? actor, CancellationToken ct)
    {
        var command = Command(connection, transaction,
            "INSERT INTO work_events (work_id, at, type, actor, detail) VALUES (@workId, @at, @type, @actor, NULL)");
        AddText(command, "workId", workId);
        AddTime(command, "at", at);
        AddText(command, "type", type);
        AddText(command, "actor", actor);
        return ExecuteAsync(command, ct);
    }

    private static async Task<string?> FindLiveIdAsync(DbConnection connection, DbTransaction? transaction, string sha256, CancellationToken ct)
    {
        var command = Command(connection, transaction, "SELECT id FROM works WHERE sha256 = @sha256 AND deleted_at IS NULL");
        AddText(command, "sha256", sha256);
        return (string?)await ScalarAsync(command, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<Work?> GetWorkAsync(string id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        // Only valid ids are ever stored; anything else (even text the database could not take) is unknown.
        return WorkId.IsValid(id) ? GetSingleWorkAsync("w.id = @value", id, ct) : Task.FromResult<Work?>(null);
    }

    /// <inheritdoc />
    public Task<Work?> FindBySha256Async(string sha256, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        return Sha256Hex.IsValid(sha256)
            ? GetSingleWorkAsync("w.sha256 = @value AND w.deleted_at IS NULL", sha256, ct)
            : Task.FromResult<Work?>(null);
    }

    private async Task<Work?> GetSingleWorkAsync(string condition, string value, CancellationToken ct)
    {
        // Contributors and tags never change after the insert, so no transaction is needed to read them with the row.
        var works = await WithConnectionAsync(connection =>
        {
            var command = Command(connection, null, $"SELECT {WorkColumns} FROM works w WHERE {condition}");
            AddText(command, "value", value);
            return ReadWorksAsync(connection, null, command, ct);
        }, ct).ConfigureAwait(false);
        return works.Count == 0 ? null : works[0];
    }

    /// <inheritdoc />
    public async Task<WorkPage> ListWorksAsync(WorkQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.TitleContains?.Length > MaxTitleSearchLength)
        {
            throw new ArgumentException($"the title search is longer than {MaxTitleSearchLength} characters", nameof(query));
        }

        if (!StoredText.IsValid(query.Tag) || !StoredText.IsValid(query.TitleContains))
        {
            return new WorkPage([], 0);
        }

        var where = new StringBuilder("w.deleted_at IS NULL");
        if (query.Kind is not null)
        {
            where.Append(" AND w.kind = @kind");
        }

        if (!string.IsNullOrEmpty(query.Tag))
        {
            where.Append(" AND EXISTS (SELECT 1 FROM work_tags t WHERE t.work_id = w.id AND t.tag = @tag)");
        }

        if (!string.IsNullOrEmpty(query.TitleContains))
        {
            where.Append(" AND w.title_folded LIKE @title ESCAPE '").Append(TitleSearch.LikeEscape).Append('\'');
        }

        void AddFilters(DbCommand command)
        {
            if (query.Kind is { } kind)
            {
                AddText(command, "kind", kind.ToWire());
            }

            if (!string.IsNullOrEmpty(query.Tag))
            {
                AddText(command, "tag", query.Tag);
            }

            if (!string.IsNullOrEmpty(query.TitleContains))
            {
                AddText(command, "title", TitleSearch.ContainsPattern(query.TitleContains));
            }
        }

        // One snapshot, so that Total agrees with the page even while works are being added.
        return await InTransactionAsync(write: false, async (connection, transaction) =>
        {
            var count = Command(connection, transaction, $"SELECT COUNT(*) FROM works w WHERE {where}");
            AddFilters(count);
            var total = ToInt64(await ScalarAsync(count, ct).ConfigureAwait(false));

            var page = Command(connection, transaction,
                $"SELECT {WorkColumns} FROM works w WHERE {where} ORDER BY w.registered_at, w.id LIMIT @limit OFFSET @offset");
            AddFilters(page);
            AddInt64(page, "limit", Math.Clamp(query.Limit, 1, MaxPageSize));
            AddInt64(page, "offset", Math.Max(0, query.Offset));
            var items = await ReadWorksAsync(connection, transaction, page, ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return new WorkPage(items, total);
        }, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> DeleteWorkAsync(string id, DateTimeOffset at, string? actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        StoredText.Validate(actor, "the actor", nameof(actor));
        if (!WorkId.IsValid(id))
        {
            return Task.FromResult(false);
        }

        return InTransactionAsync(write: true, async (connection, transaction) =>
        {
            var update = Command(connection, transaction, "UPDATE works SET deleted_at = @at WHERE id = @id AND deleted_at IS NULL");
            AddTime(update, "at", at);
            AddText(update, "id", id);
            if (await ExecuteAsync(update, ct).ConfigureAwait(false) != 1)
            {
                return false;
            }

            await InsertEventAsync(connection, transaction, id, at, DeletedEvent, actor, ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return true;
        }, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WorkEvent>> GetHistoryAsync(string workId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(workId);
        if (!WorkId.IsValid(workId))
        {
            return [];
        }

        return await WithConnectionAsync(connection =>
        {
            // seq is the append order, which is the order events happened in even if clocks disagree.
            var command = Command(connection, null, "SELECT work_id, at, type, actor, detail FROM work_events WHERE work_id = @workId ORDER BY seq");
            AddText(command, "workId", workId);
            return ReadAllAsync(command,
                r => new WorkEvent(r.GetString(0), Dialect.GetTime(r, 1), r.GetString(2), GetNullableString(r, 3), GetNullableString(r, 4)),
                ct);
        }, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> IsBlobReferencedAsync(string sha256, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        return Sha256Hex.IsValid(sha256)
            && await WithConnectionAsync(connection => FindLiveIdAsync(connection, null, sha256, ct), ct).ConfigureAwait(false) is not null;
    }

    /// <summary>Runs a SELECT of <see cref="WorkColumns"/> and loads each work's contributors and tags.</summary>
    private async Task<List<Work>> ReadWorksAsync(DbConnection connection, DbTransaction? transaction, DbCommand command, CancellationToken ct)
    {
        var works = await ReadAllAsync(command, MapWork, ct).ConfigureAwait(false);
        if (works.Count == 0)
        {
            return works;
        }

        var ids = new StringBuilder();
        for (var i = 0; i < works.Count; i++)
        {
            ids.Append(i == 0 ? "@w" : ", @w").Append(i);
        }

        DbCommand ForWorks(string sql)
        {
            var command = Command(connection, transaction, sql);
            for (var i = 0; i < works.Count; i++)
            {
                AddText(command, "w" + i, works[i].Id);
            }

            return command;
        }

        var contributors = await ReadAllAsync(
            ForWorks($"SELECT work_id, name, role, share_basis_points FROM work_contributors WHERE work_id IN ({ids}) ORDER BY work_id, ordinal"),
            r => (WorkId: r.GetString(0), Contributor: new Contributor(r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetInt32(3))),
            ct).ConfigureAwait(false);
        var tags = await ReadAllAsync(
            ForWorks($"SELECT work_id, tag FROM work_tags WHERE work_id IN ({ids}) ORDER BY work_id, ordinal"),
            r => (WorkId: r.GetString(0), Tag: r.GetString(1)),
            ct).ConfigureAwait(false);

        var contributorsByWork = contributors.ToLookup(c => c.WorkId, c => c.Contributor, StringComparer.Ordinal);
        var tagsByWork = tags.ToLookup(t => t.WorkId, t => t.Tag, StringComparer.Ordinal);
        for (var i = 0; i < works.Count; i++)
        {
            works[i] = works[i] with
            {
                Contributors = [.. contributorsByWork[works[i].Id]],
                Tags = [.. tagsByWork[works[i].Id]],
            };
        }

        return works;
    }

    private Work MapWork(DbDataReader r)
    {
        var kindText = r.GetString(2);
        if (!MediaKinds.TryParse(kindText, out var kind))
        {
            throw new InvalidDataException($"work '{r.GetString(0)}' has an unknown kind '{kindText}' in the database");
        }

        return new Work
        {
            Id = r.GetString(0),
            Title = r.GetString(1),
            Kind = kind,
            OriginalFileName = r.GetString(3),
            MediaType = r.GetString(4),
            ByteSize = r.GetInt64(5),
            Sha256 = r.GetString(6),
            RegisteredAt = Dialect.GetTime(r, 7),
            Metadata = MetadataJson.Deserialize(r.GetString(8)),
            DeletedAt = GetNullableTime(r, 9),
        };
    }

    private static void ValidateWork(Work work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!WorkId.IsValid(work.Id))
        {
            throw new ArgumentException($"'{work.Id}' is not a valid work id", nameof(work));
        }

        if (!Sha256Hex.IsValid(work.Sha256))
        {
            throw new ArgumentException("a work's Sha256 must be 64 lower-case hex digits", nameof(work));
        }

        if (work.Title is null || work.OriginalFileName is null || work.MediaType is null)
        {
            throw new ArgumentException("a work needs a title, an original file name and a media type", nameof(work));
        }

        if (!Enum.IsDefined(work.Kind))
        {
            throw new ArgumentException($"unknown media kind {(int)work.Kind}", nameof(work));
        }

        if (work.ByteSize < 0)
        {
            throw new ArgumentException("a work's byte size cannot be negative", nameof(work));
        }

        ArgumentNullException.ThrowIfNull(work.Contributors);
        ArgumentNullException.ThrowIfNull(work.Tags);
        ArgumentNullException.ThrowIfNull(work.Metadata);
        if (Contributors.Validate(work.Contributors) is { } reason)
        {
            throw new ArgumentException(reason, nameof(work));
        }

        StoredText.Validate(work.Title, "the title", nameof(work));
        StoredText.Validate(work.OriginalFileName, "the original file name", nameof(work));
        StoredText.Validate(work.MediaType, "the media type", nameof(work));
        foreach (var contributor in work.Contributors)
        {
            StoredText.Validate(contributor.Name, "a contributor's name", nameof(work));
            StoredText.Validate(contributor.Role, "a contributor's role", nameof(work));
        }

        foreach (var tag in work.Tags)
        {
            if (string.IsNullOrWhiteSpace(tag))
            {
                throw new ArgumentException("a tag cannot be empty", nameof(work));
            }

            StoredText.Validate(tag, "a tag", nameof(work));
        }
    }
}
