using System.Data.Common;
using Atelier.Core;

namespace Atelier.Storage.Sql;

public abstract partial class SqlCatalogStore
{
    /// <summary>The longest log entry queued: C2SP tlog-tiles entry bundles give each entry a 16-bit length.</summary>
    public const int MaxLogEntryLength = ushort.MaxValue;

    /// <summary>The largest signed checkpoint stored, as large as the signed-note reader accepts.</summary>
    public const int MaxCheckpointLength = 64 * 1024;

    /// <summary>The most entries one <see cref="GetPendingLogEntriesAsync"/> returns, whatever is asked.</summary>
    public const int MaxPendingLogEntries = 10_000;

    /// <summary>The longest lease name or holder.</summary>
    public const int MaxLeaseNameLength = 200;

    /// <summary>The shortest lease: below the resolution of SQLite's clock it could be stored already expired.</summary>
    public static readonly TimeSpan MinLeaseTtl = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest lease: a sequencer that dies must not block the log for longer.</summary>
    public static readonly TimeSpan MaxLeaseTtl = TimeSpan.FromDays(1);

    private const string LogEntryColumns = "seq, work_id, entry, created_at, log_index";

    /// <inheritdoc />
    public Task<long> EnqueueLogEntryAsync(string? workId, byte[] entry, CancellationToken ct = default)
    {
        ValidateLogEntry(entry, nameof(entry));
        if (workId is not null && !WorkId.IsValid(workId))
        {
            throw new ArgumentException("the work id is not a valid work id", nameof(workId));
        }

        return InTransactionAsync(write: true, async (connection, transaction) =>
        {
            // Works are never removed (only marked deleted), so one seen here is still there at commit;
            // the foreign key would refuse a dangling id anyway, but with a provider-specific error.
            if (workId is not null && !await WorkExistsAsync(connection, transaction, workId, ct).ConfigureAwait(false))
            {
                throw new ArgumentException($"there is no work '{workId}' to tie the log entry to", nameof(workId));
            }

            var seq = await InsertLogEntryAsync(connection, transaction, workId, entry, ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return seq;
        }, ct);
    }

    /// <inheritdoc />
    /// <remarks>Returns at most <see cref="MaxPendingLogEntries"/> entries.</remarks>
    public async Task<IReadOnlyList<LogQueueEntry>> GetPendingLogEntriesAsync(int max, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return await WithConnectionAsync(connection =>
        {
            // PostgreSQL assigns seq at insert, not at commit, so an entry can appear here after a higher
            // one was sequenced. Only log_index is the log's order; seq is the queue's.
            var command = Command(connection, null, $"SELECT {LogEntryColumns} FROM log_entries WHERE log_index IS NULL ORDER BY seq LIMIT @max");
            AddInt32(command, "max", Math.Min(max, MaxPendingLogEntries));
            return ReadAllAsync(command, MapLogEntry, ct);
        }, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<LogQueueEntry?> GetLogEntryAsync(long seq, CancellationToken ct = default) =>
        GetSingleLogEntryAsync("seq = @value", command => AddInt64(command, "value", seq), ct);

    /// <inheritdoc />
    public Task<LogQueueEntry?> GetLogEntryForWorkAsync(string workId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(workId);
        // The registration entry is queued in the work's own transaction, so it is the work's first.
        return WorkId.IsValid(workId)
            ? GetSingleLogEntryAsync("work_id = @value ORDER BY seq LIMIT 1", command => AddText(command, "value", workId), ct)
            : Task.FromResult<LogQueueEntry?>(null);
    }

    /// <inheritdoc />
    public async Task<LogStateRecord?> GetLogStateAsync(CancellationToken ct = default)
    {
        var states = await WithConnectionAsync(connection => ReadAllAsync(
            Command(connection, null, "SELECT size, checkpoint FROM log_state WHERE id = 1"),
            r => new LogStateRecord(r.GetInt64(0), r.GetFieldValue<byte[]>(1)),
            ct), ct).ConfigureAwait(false);
        return states.Count == 0 ? null : states[0];
    }

    /// <inheritdoc />
    /// <remarks>
    /// The state row is written first. On SQLite the whole transaction holds the database's write lock
    /// (BEGIN IMMEDIATE). On PostgreSQL (READ COMMITTED) the conditional UPDATE locks the row: a rival
    /// sequencer's UPDATE waits for our commit, then re-checks its WHERE against the new size and
    /// matches nothing; if we roll back instead, it goes ahead. For the first state the rival's
    /// INSERT … ON CONFLICT DO NOTHING waits on our uncommitted row the same way. Indexes are only
    /// written by the holder of that lock, so no two transactions can hand out the same index, and
    /// the unique index on log_index stands behind that.
    /// </remarks>
    public Task<bool> TryAdvanceLogAsync(long? expectedSize, LogStateRecord next, IReadOnlyList<long> sequencedSeqs, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(sequencedSeqs);
        if (expectedSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedSize), expectedSize, "a log size cannot be negative");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(next.Size, nameof(next));
        ValidateCheckpoint(next.SignedCheckpoint, nameof(next));
        var firstIndex = expectedSize ?? 0;
        if (next.Size - firstIndex != sequencedSeqs.Count)
        {
            throw new ArgumentException(
                $"a log going from {firstIndex} to {next.Size} entries sequences {next.Size - firstIndex} entries, but {sequencedSeqs.Count} were given",
                nameof(sequencedSeqs));
        }

        return InTransactionAsync(write: true, async (connection, transaction) =>
        {
            if (!await TryStoreLogStateAsync(connection, transaction, expectedSize, next, ct).ConfigureAwait(false)
                || !await AssignLogIndexesAsync(connection, transaction, firstIndex, sequencedSeqs, ct).ConfigureAwait(false))
            {
                await transaction.RollbackAsync(ct).ConfigureAwait(false);
                return false;
            }

            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return true;
        }, ct);
    }

    /// <summary>Replaces the state of size <paramref name="expectedSize"/> (none when null) by <paramref name="next"/>; false when it is not there.</summary>
    private static async Task<bool> TryStoreLogStateAsync(DbConnection connection, DbTransaction transaction, long? expectedSize, LogStateRecord next, CancellationToken ct)
    {
        var command = Command(connection, transaction, expectedSize is null
            ? "INSERT INTO log_state (id, size, checkpoint) VALUES (1, @size, @checkpoint) ON CONFLICT (id) DO NOTHING"
            : "UPDATE log_state SET size = @size, checkpoint = @checkpoint WHERE id = 1 AND size = @expected AND @size > size");
        AddInt64(command, "size", next.Size);
        AddBytes(command, "checkpoint", next.SignedCheckpoint);
        if (expectedSize is not null)
        {
            AddInt64(command, "expected", expectedSize);
        }

        return await ExecuteAsync(command, ct).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Gives <paramref name="seqs"/>[i] the log index <paramref name="firstIndex"/> + i, each only while it
    /// has none; false when any seq is unknown, already sequenced or listed twice. Runs in the transaction
    /// of <see cref="TryAdvanceLogAsync"/>, which rolls back on false. This version reuses one prepared
    /// UPDATE per entry, which is cheap where the database is in-process; a provider with a network round
    /// trip per statement overrides it with one set-based UPDATE.
    /// </summary>
    protected virtual async Task<bool> AssignLogIndexesAsync(DbConnection connection, DbTransaction transaction, long firstIndex, IReadOnlyList<long> seqs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(seqs);
        using var command = Command(connection, transaction, "UPDATE log_entries SET log_index = @index WHERE seq = @seq AND log_index IS NULL");
        var index = AddInt64(command, "index", 0);
        var seq = AddInt64(command, "seq", 0);
        await command.PrepareAsync(ct).ConfigureAwait(false);
        for (var i = 0; i < seqs.Count; i++)
        {
            index.Value = firstIndex + i;
            seq.Value = seqs[i];
            if (await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    /// <remarks>Expiry is judged by the database's clock (<see cref="SqlDialect.CurrentTime"/>), so every process agrees on it.</remarks>
    public Task<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan ttl, CancellationToken ct = default)
    {
        ValidateLeaseText(name, "the lease name", nameof(name));
        ValidateLeaseText(holder, "the lease holder", nameof(holder));
        if (ttl < MinLeaseTtl || ttl > MaxLeaseTtl)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, $"a lease lasts from {MinLeaseTtl} to {MaxLeaseTtl}");
        }

        return InTransactionAsync(write: true, async (connection, transaction) =>
        {
            // One statement decides: the upsert takes the row (or waits for whoever holds it) and only
            // overwrites it for its holder or once it has expired; the row count says which happened.
            var command = Command(connection, transaction, $"""
                INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, {Dialect.CurrentTime} + @ttl)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at <= {Dialect.CurrentTime}
                """);
            AddText(command, "name", name);
            AddText(command, "holder", holder);
            var parameter = command.CreateParameter();
            parameter.ParameterName = "ttl";
            Dialect.SetDuration(parameter, ttl);
            command.Parameters.Add(parameter);
            var held = await ExecuteAsync(command, ct).ConfigureAwait(false) == 1;
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return held;
        }, ct);
    }

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(string name, string holder, CancellationToken ct = default)
    {
        ValidateLeaseText(name, "the lease name", nameof(name));
        ValidateLeaseText(holder, "the lease holder", nameof(holder));
        return WithConnectionAsync(connection =>
        {
            var command = Command(connection, null, "DELETE FROM leases WHERE name = @name AND holder = @holder");
            AddText(command, "name", name);
            AddText(command, "holder", holder);
            return ExecuteAsync(command, ct);
        }, ct);
    }

    /// <summary>Queues <paramref name="entry"/> in the caller's transaction; its seq.</summary>
    private async Task<long> InsertLogEntryAsync(DbConnection connection, DbTransaction transaction, string? workId, byte[] entry, CancellationToken ct)
    {
        var command = Command(connection, transaction,
            "INSERT INTO log_entries (work_id, entry, created_at) VALUES (@workId, @entry, @createdAt) RETURNING seq");
        AddText(command, "workId", workId);
        AddBytes(command, "entry", entry);
        AddTime(command, "createdAt", DateTimeOffset.UtcNow);
        return ToInt64(await ScalarAsync(command, ct).ConfigureAwait(false));
    }

    private static async Task<bool> WorkExistsAsync(DbConnection connection, DbTransaction transaction, string workId, CancellationToken ct)
    {
        var command = Command(connection, transaction, "SELECT 1 FROM works WHERE id = @id");
        AddText(command, "id", workId);
        return await ScalarAsync(command, ct).ConfigureAwait(false) is not null;
    }

    private async Task<LogQueueEntry?> GetSingleLogEntryAsync(string condition, Action<DbCommand> addValue, CancellationToken ct)
    {
        var entries = await WithConnectionAsync(connection =>
        {
            var command = Command(connection, null, $"SELECT {LogEntryColumns} FROM log_entries WHERE {condition}");
            addValue(command);
            return ReadAllAsync(command, MapLogEntry, ct);
        }, ct).ConfigureAwait(false);
        return entries.Count == 0 ? null : entries[0];
    }

    private LogQueueEntry MapLogEntry(DbDataReader r) => new(
        r.GetInt64(0),
        GetNullableString(r, 1),
        r.GetFieldValue<byte[]>(2),
        Dialect.GetTime(r, 3),
        r.IsDBNull(4) ? null : r.GetInt64(4));

    private static void ValidateLogEntry(byte[]? entry, string paramName)
    {
        ArgumentNullException.ThrowIfNull(entry, paramName);
        if (entry.Length > MaxLogEntryLength)
        {
            throw new ArgumentException($"a log entry is at most {MaxLogEntryLength} bytes; this one is {entry.Length}", paramName);
        }
    }

    private static void ValidateCheckpoint(byte[]? checkpoint, string paramName)
    {
        if (checkpoint is null || checkpoint.Length == 0)
        {
            throw new ArgumentException("the log state needs its signed checkpoint", paramName);
        }

        if (checkpoint.Length > MaxCheckpointLength)
        {
            throw new ArgumentException($"a signed checkpoint is at most {MaxCheckpointLength} bytes; this one is {checkpoint.Length}", paramName);
        }
    }

    private static void ValidateLeaseText(string value, string what, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, paramName);
        if (value.Length > MaxLeaseNameLength)
        {
            throw new ArgumentException($"{what} is longer than {MaxLeaseNameLength} characters", paramName);
        }

        StoredText.Validate(value, what, paramName);
    }
}
