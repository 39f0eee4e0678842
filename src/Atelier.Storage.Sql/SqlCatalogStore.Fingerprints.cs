using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Atelier.Core;

namespace Atelier.Storage.Sql;

public abstract partial class SqlCatalogStore
{
    /// <summary>The longest fingerprint algorithm name; names are made of a-z, 0-9, '/', '.', '_' and '-'.</summary>
    public const int MaxFingerprintAlgorithmLength = 64;

    /// <summary>The largest fingerprint: 16 MiB, far above any algorithm's serialisation of one work.</summary>
    public const int MaxFingerprintLength = 16 * 1024 * 1024;

    /// <summary>The most fingerprints (algorithms) one work may have.</summary>
    public const int MaxFingerprintsPerWork = 16;

    /// <summary>The rows <see cref="ListFingerprintsAsync"/> reads per query.</summary>
    public const int FingerprintPageSize = 1000;

    /// <summary>Rows per page of <see cref="ListFingerprintsAsync"/>; tests lower it to cross pages with few rows.</summary>
    internal int FingerprintPageRows { get; set; } = FingerprintPageSize;

    /// <inheritdoc />
    public async Task<IReadOnlyList<FingerprintRecord>> GetFingerprintsAsync(string workId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(workId);
        if (!WorkId.IsValid(workId))
        {
            return [];
        }

        return await WithConnectionAsync(connection =>
        {
            // Two concurrent PutFingerprintAsync calls can only tie on ordinal on PostgreSQL; the name settles it.
            var command = Command(connection, null, "SELECT algorithm, data FROM fingerprints WHERE work_id = @workId ORDER BY ordinal, algorithm");
            AddText(command, "workId", workId);
            return ReadAllAsync(command, r => new FingerprintRecord(r.GetString(0), r.GetFieldValue<byte[]>(1)), ct);
        }, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Keyset pages of <see cref="FingerprintPageSize"/> rows by work id, each its own query on its own
    /// connection. A page's reader stays open while its rows are yielded, so one row is in memory at
    /// a time whatever the fingerprints weigh, and a connection (on SQLite, a WAL read snapshot, which
    /// keeps checkpoints from passing it but blocks no writer) is held for one page at most, never for
    /// the whole scan. Pages are separate snapshots: a work deleted during the scan may still be
    /// listed, and one added during it is listed when its id sorts after the page being read, as new
    /// ids do (they begin with the time). Callers keep their index current by other means after the
    /// scan anyway.
    /// </remarks>
    public IAsyncEnumerable<WorkFingerprint> ListFingerprintsAsync(string algorithm, CancellationToken ct = default)
    {
        ValidateAlgorithm(algorithm, nameof(algorithm));
        // The collation matches the index's, so the database walks fingerprints_scan in order and stops at the limit.
        var sql = $"""
            SELECT f.work_id, f.data FROM fingerprints f JOIN works w ON w.id = f.work_id
            WHERE f.algorithm = @algorithm AND w.deleted_at IS NULL AND f.work_id {Dialect.OrdinalCollation} > @after
            ORDER BY f.work_id {Dialect.OrdinalCollation} LIMIT @limit
            """;
        // The empty string sorts before every id.
        return ReadFingerprintPagesAsync(sql, algorithm, DbType.String, string.Empty, FingerprintPageRows,
            r => (r.GetString(0), new WorkFingerprint(r.GetString(0), algorithm, r.GetFieldValue<byte[]>(1))), ct);
    }

    /// <summary>
    /// The keyset page loop of <see cref="ListFingerprintsAsync"/> and <see cref="ListSuspectFingerprintsAsync"/>:
    /// <paramref name="sql"/> takes @algorithm, @after (the key of the last row read, of
    /// <paramref name="keyType"/>) and @limit; <paramref name="read"/> gives a row's key and item.
    /// </summary>
    private async IAsyncEnumerable<T> ReadFingerprintPagesAsync<T>(
        string sql, string algorithm, DbType keyType, object firstAfter, int pageRows, Func<DbDataReader, (object Key, T Item)> read, [EnumeratorCancellation] CancellationToken ct)
    {
        var after = firstAfter;
        int rows;
        do
        {
            rows = 0;
            var connection = await OpenConnectionAsync(ct).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var command = Command(connection, null, sql);
                AddText(command, "algorithm", algorithm);
                Add(command, "after", keyType, after);
                AddInt32(command, "limit", pageRows);
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        rows++;
                        (after, var item) = read(reader);
                        yield return item;
                    }
                }
            }
        }
        while (rows == pageRows);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A new algorithm goes after the work's others; a replaced one keeps its place. Deleted works
    /// may be fingerprinted too. Throws <see cref="ArgumentException"/> for an unknown work and
    /// <see cref="InvalidOperationException"/> when a new algorithm would give the work more than
    /// <see cref="MaxFingerprintsPerWork"/> fingerprints.
    /// </remarks>
    public Task PutFingerprintAsync(string workId, FingerprintRecord fingerprint, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(workId);
        if (!WorkId.IsValid(workId))
        {
            throw new ArgumentException("the work id is not a valid work id", nameof(workId));
        }

        ValidateFingerprint(fingerprint, nameof(fingerprint));
        return InTransactionAsync(write: true, async (connection, transaction) =>
        {
            // The row lock serialises writers of this work's fingerprints on PostgreSQL, so that the
            // count and the next ordinal read below stay true until the commit.
            var lockWork = Command(connection, transaction, $"SELECT id FROM works WHERE id = @id {Dialect.LockRowClause}");
            AddText(lockWork, "id", workId);
            if (await ScalarAsync(lockWork, ct).ConfigureAwait(false) is null)
            {
                throw new ArgumentException($"there is no work '{workId}' to store a fingerprint for", nameof(workId));
            }

            var stateCommand = Command(connection, transaction, """
                SELECT COUNT(*), COALESCE(MAX(ordinal) + 1, 0), COUNT(CASE WHEN algorithm = @algorithm THEN 1 END)
                FROM fingerprints WHERE work_id = @workId
                """);
            AddText(stateCommand, "workId", workId);
            AddText(stateCommand, "algorithm", fingerprint.Algorithm);
            var state = (await ReadAllAsync(stateCommand, r => (Count: ToInt64(r.GetValue(0)), NextOrdinal: (int)ToInt64(r.GetValue(1)), Exists: ToInt64(r.GetValue(2)) != 0), ct).ConfigureAwait(false))[0];

            if (state.Exists)
            {
                var update = Command(connection, transaction,
                    "UPDATE fingerprints SET data = @data, created_at = @createdAt WHERE work_id = @workId AND algorithm = @algorithm");
                AddText(update, "workId", workId);
                AddText(update, "algorithm", fingerprint.Algorithm);
                AddBytes(update, "data", fingerprint.Data);
                AddTime(update, "createdAt", DateTimeOffset.UtcNow);
                await ExecuteAsync(update, ct).ConfigureAwait(false);
            }
            else if (state.Count >= MaxFingerprintsPerWork)
            {
                throw new InvalidOperationException(
                    $"work '{workId}' already has {state.Count} fingerprints, the most a work may have; '{fingerprint.Algorithm}' would be one more");
            }
            else
            {
                await InsertFingerprintAsync(connection, transaction, workId, state.NextOrdinal, fingerprint, ct).ConfigureAwait(false);
            }

            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return true;
        }, ct);
    }

    /// <summary>Stores a new work's fingerprints in its transaction; an algorithm given twice fails on the primary key.</summary>
    private async Task InsertNewWorkFingerprintsAsync(DbConnection connection, DbTransaction transaction, string workId, IReadOnlyList<FingerprintRecord> fingerprints, CancellationToken ct)
    {
        for (var i = 0; i < fingerprints.Count; i++)
        {
            try
            {
                await InsertFingerprintAsync(connection, transaction, workId, i, fingerprints[i], ct).ConfigureAwait(false);
            }
            catch (DbException e) when (Dialect.IsUniqueViolation(e))
            {
                // The caller's transaction rolls back as this leaves it: the work is not stored either.
                throw new ArgumentException($"the fingerprints give algorithm '{fingerprints[i].Algorithm}' more than once", nameof(fingerprints), e);
            }
        }
    }

    private async Task InsertFingerprintAsync(DbConnection connection, DbTransaction transaction, string workId, int ordinal, FingerprintRecord fingerprint, CancellationToken ct)
    {
        var command = Command(connection, transaction, """
            INSERT INTO fingerprints (work_id, algorithm, ordinal, data, created_at)
            VALUES (@workId, @algorithm, @ordinal, @data, @createdAt)
            """);
        AddText(command, "workId", workId);
        AddText(command, "algorithm", fingerprint.Algorithm);
        AddInt32(command, "ordinal", ordinal);
        AddBytes(command, "data", fingerprint.Data);
        AddTime(command, "createdAt", DateTimeOffset.UtcNow);
        await ExecuteAsync(command, ct).ConfigureAwait(false);
    }

    // owner names what has the fingerprints in the message: "a work", "a suspect".
    private static void ValidateFingerprints(IReadOnlyList<FingerprintRecord> fingerprints, string paramName, string owner = "a work")
    {
        if (fingerprints.Count > MaxFingerprintsPerWork)
        {
            throw new ArgumentException($"{owner} has at most {MaxFingerprintsPerWork} fingerprints; {fingerprints.Count} were given", paramName);
        }

        foreach (var fingerprint in fingerprints)
        {
            ValidateFingerprint(fingerprint, paramName);
        }
    }

    private static void ValidateFingerprint(FingerprintRecord? fingerprint, string paramName)
    {
        ArgumentNullException.ThrowIfNull(fingerprint, paramName);
        ValidateAlgorithm(fingerprint.Algorithm, paramName);
        if (fingerprint.Data is null || fingerprint.Data.Length == 0)
        {
            throw new ArgumentException($"the '{fingerprint.Algorithm}' fingerprint has no bytes", paramName);
        }

        if (fingerprint.Data.Length > MaxFingerprintLength)
        {
            throw new ArgumentException(
                $"a fingerprint is at most {MaxFingerprintLength} bytes; the '{fingerprint.Algorithm}' one is {fingerprint.Data.Length}", paramName);
        }
    }

    private static void ValidateAlgorithm(string? algorithm, string paramName)
    {
        if (string.IsNullOrEmpty(algorithm))
        {
            throw new ArgumentException("a fingerprint needs an algorithm name", paramName);
        }

        if (algorithm.Length > MaxFingerprintAlgorithmLength)
        {
            throw new ArgumentException($"a fingerprint algorithm name is at most {MaxFingerprintAlgorithmLength} characters; this one has {algorithm.Length}", paramName);
        }

        for (var i = 0; i < algorithm.Length; i++)
        {
            var ch = algorithm[i];
            if (!(char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch is '/' or '.' or '_' or '-'))
            {
                // The name is not echoed: it may hold anything, control characters included.
                throw new ArgumentException(
                    $"a fingerprint algorithm name may only hold a-z, 0-9, '/', '.', '_' and '-'; it has U+{(int)ch:X4} at position {i}", paramName);
            }
        }
    }
}
