using System.Data;
using System.Data.Common;
using System.Globalization;
using Atelier.Core;

namespace Atelier.Storage.Sql;

/// <summary>
/// <see cref="ICatalogStore"/> over ADO.NET: the SQL and the mapping shared by every SQL provider. A
/// provider supplies the <see cref="SqlDialect"/>, connections, and the two kinds of transaction the
/// store needs. Every statement is parameterised; SQL text is built only from fixed fragments.
/// </summary>
public abstract partial class SqlCatalogStore : ICatalogStore
{
    private readonly IReadOnlyList<SqlMigration> _migrations;

    /// <param name="dialect">The provider's SQL differences.</param>
    /// <param name="migrations">The schema steps; <see cref="CatalogMigrations.All"/> outside tests.</param>
    protected SqlCatalogStore(SqlDialect dialect, IReadOnlyList<SqlMigration> migrations)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(migrations);
        Dialect = dialect;
        _migrations = migrations;
        ValidateMigrations(_migrations);
    }

    protected SqlDialect Dialect { get; }

    /// <summary>The highest migration version this build knows.</summary>
    public int LatestSchemaVersion => _migrations.Count == 0 ? 0 : _migrations[^1].Version;

    /// <summary>An open connection; the store disposes it.</summary>
    protected abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken ct);

    /// <summary>
    /// A transaction for writing. It must serialise with other writers the way the provider needs:
    /// SQLite takes the write lock at BEGIN so that a reader never has to upgrade to a writer (which
    /// would fail with SQLITE_BUSY instead of waiting).
    /// </summary>
    protected abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    /// <summary>A read-only transaction in which consecutive statements see one snapshot.</summary>
    protected abstract ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct);

    /// <summary>
    /// Called first inside the migration transaction; returns once no other process is migrating
    /// the same database. The lock must end with the transaction.
    /// </summary>
    protected abstract Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct);

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken ct = default) =>
        InTransactionAsync(write: true, async (connection, transaction) =>
        {
            await LockSchemaAsync(connection, transaction, ct).ConfigureAwait(false);
            await ExecuteAsync(Command(connection, transaction, $"""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER NOT NULL PRIMARY KEY,
                    description TEXT NOT NULL,
                    applied_at {Dialect.TimeType} NOT NULL
                )
                """), ct).ConfigureAwait(false);

            var applied = (await ReadAppliedAsync(connection, transaction, ct).ConfigureAwait(false)).Select(m => m.Version).ToHashSet();
            var newest = applied.Count == 0 ? 0 : applied.Max();
            if (newest > LatestSchemaVersion)
            {
                throw new InvalidOperationException(
                    $"the catalog database is at schema version {newest}, newer than this version of Atelier knows ({LatestSchemaVersion}); upgrade Atelier");
            }

            foreach (var migration in _migrations.Where(m => !applied.Contains(m.Version)))
            {
                await ExecuteAsync(Command(connection, transaction, migration.Script(Dialect)), ct).ConfigureAwait(false);
                var record = Command(connection, transaction,
                    "INSERT INTO schema_migrations (version, description, applied_at) VALUES (@version, @description, @at)");
                AddInt32(record, "version", migration.Version);
                AddText(record, "description", migration.Description);
                AddTime(record, "at", DateTimeOffset.UtcNow);
                await ExecuteAsync(record, ct).ConfigureAwait(false);
            }

            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return true;
        }, ct);

    /// <summary>The rows of <c>schema_migrations</c>, oldest version first.</summary>
    public async Task<IReadOnlyList<AppliedMigration>> GetAppliedMigrationsAsync(CancellationToken ct = default) =>
        await WithConnectionAsync(connection => ReadAppliedAsync(connection, null, ct), ct).ConfigureAwait(false);

    private Task<List<AppliedMigration>> ReadAppliedAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        var command = Command(connection, transaction, "SELECT version, description, applied_at FROM schema_migrations ORDER BY version");
        return ReadAllAsync(command, r => new AppliedMigration(r.GetInt32(0), r.GetString(1), Dialect.GetTime(r, 2)), ct);
    }

    private static void ValidateMigrations(IReadOnlyList<SqlMigration> migrations)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new ArgumentException($"migration versions must run 1, 2, 3… without gaps; position {i} has version {migrations[i].Version}", nameof(migrations));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the provider's connections or pool.</summary>
    protected abstract ValueTask DisposeAsyncCore();

    /// <summary>
    /// Runs <paramref name="prepare"/> (when given) and <see cref="MigrateAsync"/> on a store a
    /// provider's OpenAsync has just made, and disposes the store if either fails.
    /// </summary>
    protected static async Task<TStore> MigrateNewAsync<TStore>(TStore store, Func<TStore, Task>? prepare, CancellationToken ct)
        where TStore : SqlCatalogStore
    {
        ArgumentNullException.ThrowIfNull(store);
        try
        {
            if (prepare is not null)
            {
                await prepare(store).ConfigureAwait(false);
            }

            await store.MigrateAsync(ct).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // ---- ADO.NET helpers shared by the partial files ----

    /// <summary>Runs <paramref name="action"/> on a connection of its own.</summary>
    protected async Task<T> WithConnectionAsync<T>(Func<DbConnection, Task<T>> action, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(action);
        var connection = await OpenConnectionAsync(ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await action(connection).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> in a write (<see cref="BeginWriteAsync"/>) or snapshot
    /// (<see cref="BeginSnapshotAsync"/>) transaction. The action commits; whatever it leaves
    /// uncommitted is rolled back.
    /// </summary>
    private Task<T> InTransactionAsync<T>(bool write, Func<DbConnection, DbTransaction, Task<T>> action, CancellationToken ct) =>
        WithConnectionAsync(async connection =>
        {
            var transaction = await (write ? BeginWriteAsync(connection, ct) : BeginSnapshotAsync(connection, ct)).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                return await action(connection, transaction).ConfigureAwait(false);
            }
        }, ct);

    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private protected static void AddText(DbCommand command, string name, string? value) =>
        Add(command, name, DbType.String, value);

    private protected static void AddInt32(DbCommand command, string name, int? value) =>
        Add(command, name, DbType.Int32, value);

    private protected static DbParameter AddInt64(DbCommand command, string name, long? value) =>
        Add(command, name, DbType.Int64, value);

    private protected static void AddBytes(DbCommand command, string name, byte[] value) =>
        Add(command, name, DbType.Binary, value);

    private protected void AddTime(DbCommand command, string name, DateTimeOffset? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        Dialect.SetTime(parameter, value is { } v ? CatalogTime.Normalize(v) : null);
        command.Parameters.Add(parameter);
    }

    private protected void AddJson(DbCommand command, string name, string json)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        Dialect.SetJson(parameter, json);
        command.Parameters.Add(parameter);
    }

    private static DbParameter Add(DbCommand command, string name, DbType type, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Runs the command, maps every row, and disposes the command.</summary>
    protected static async Task<List<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> map, CancellationToken ct)
    {
        using (command)
        {
            var list = new List<T>();
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    list.Add(map(reader));
                }
            }

            return list;
        }
    }

    /// <summary>Runs the command and disposes it; the first column of the first row, or null.</summary>
    protected static async Task<object?> ScalarAsync(DbCommand command, CancellationToken ct)
    {
        using (command)
        {
            var value = await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
            return value is DBNull ? null : value;
        }
    }

    /// <summary>Runs the command and disposes it; the number of rows affected.</summary>
    protected static async Task<int> ExecuteAsync(DbCommand command, CancellationToken ct)
    {
        using (command)
        {
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private protected static string? GetNullableString(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private protected DateTimeOffset? GetNullableTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Dialect.GetTime(reader, ordinal);

    private protected static long ToInt64(object? value) =>
        Convert.ToInt64(value ?? throw new InvalidDataException("the database returned no value"), CultureInfo.InvariantCulture);
}
