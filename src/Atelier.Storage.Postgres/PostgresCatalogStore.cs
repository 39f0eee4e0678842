using System.Data;
using System.Data.Common;
using Atelier.Storage.Sql;
using Npgsql;

namespace Atelier.Storage.Postgres;

/// <summary>
/// The catalog in PostgreSQL, shared by several stateless server processes. Connections come from a
/// pooled <see cref="NpgsqlDataSource"/>. Open with <see cref="OpenAsync(string, CancellationToken)"/>.
/// </summary>
public sealed class PostgresCatalogStore : SqlCatalogStore
{
    // pg_advisory_xact_lock key for MigrateAsync: "Atelier" in ASCII. Advisory locks are scoped to
    // the database, so catalogs in different databases of one server do not wait for each other.
    private const long MigrationLockKey = 0x41_74_65_6C_69_65_72;

    private readonly NpgsqlDataSource _dataSource;

    private PostgresCatalogStore(NpgsqlDataSource dataSource, IReadOnlyList<SqlMigration> migrations)
        : base(PostgresDialect.Instance, migrations)
    {
        _dataSource = dataSource;
    }

    /// <summary>
    /// Connects with <paramref name="connectionString"/> (Npgsql <c>Host=…;Database=…</c> form or a
    /// <c>postgres://</c> / <c>postgresql://</c> URI) and applies missing migrations.
    /// </summary>
    public static Task<PostgresCatalogStore> OpenAsync(string connectionString, CancellationToken ct = default) =>
        OpenAsync(connectionString, CatalogMigrations.All, ct);

    /// <summary>Opens with another list of migrations: tests use it to play a later version's upgrade.</summary>
    internal static Task<PostgresCatalogStore> OpenAsync(string connectionString, IReadOnlyList<SqlMigration> migrations, CancellationToken ct)
    {
        var dataSource = new NpgsqlDataSourceBuilder(PostgresConnectionStrings.ToNpgsql(connectionString)).Build();
        return MigrateNewAsync(new PostgresCatalogStore(dataSource, migrations), prepare: null, ct);
    }

    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken ct) =>
        await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);

    // READ COMMITTED is what AddWorkAsync relies on: after ON CONFLICT DO NOTHING waited for a
    // concurrent insert of the same hash, the next statement sees that committed row.
    protected override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);

    protected override async ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);

    // Without the lock, two servers starting together would both see version N missing and one
    // would fail on "relation already exists". The transaction-scoped lock ends with the migration.
    protected override async Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        var command = Command(connection, transaction, "SELECT pg_advisory_xact_lock(@key)");
        var key = command.CreateParameter();
        key.ParameterName = "key";
        key.DbType = DbType.Int64;
        key.Value = MigrationLockKey;
        command.Parameters.Add(key);
        await ExecuteAsync(command, ct).ConfigureAwait(false);
    }

    // One statement for the whole batch: a round trip per entry would make a 10,000-entry batch cost
    // 10,000 network round trips while the state row is locked. Two array parameters keep the statement
    // text fixed whatever the batch size. A seq listed twice joins its row twice, which PostgreSQL
    // updates once, so the count falls short as it does for an unknown or sequenced seq.
    protected override async Task<bool> AssignLogIndexesAsync(DbConnection connection, DbTransaction transaction, long firstIndex, IReadOnlyList<long> seqs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(seqs);
        if (seqs.Count == 0)
        {
            return true;
        }

        var indexes = new long[seqs.Count];
        for (var i = 0; i < indexes.Length; i++)
        {
            indexes[i] = firstIndex + i;
        }

        using var command = new NpgsqlCommand("""
            UPDATE log_entries AS e SET log_index = v.log_index
            FROM unnest(@seqs, @indexes) AS v (seq, log_index)
            WHERE e.seq = v.seq AND e.log_index IS NULL
            """, (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        command.Parameters.Add(new NpgsqlParameter<long[]>("seqs", [.. seqs]));
        command.Parameters.Add(new NpgsqlParameter<long[]>("indexes", indexes));
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == seqs.Count;
    }

    protected override ValueTask DisposeAsyncCore() => _dataSource.DisposeAsync();

    /// <summary>Names the server and database, never the password.</summary>
    public override string ToString()
    {
        var builder = new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString);
        return $"PostgreSQL catalog {builder.Host}:{builder.Port}/{builder.Database}";
    }
}
