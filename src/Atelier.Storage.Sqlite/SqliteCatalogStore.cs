using System.Data.Common;
using Atelier.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Atelier.Storage.Sqlite;

/// <summary>
/// The catalog in one SQLite file, for a single machine. Several threads and processes may use the
/// same file: WAL mode lets readers run beside the one writer, writers take the lock at BEGIN and
/// wait for it up to <see cref="BusyTimeout"/>. Open with <see cref="OpenAsync(string, CancellationToken)"/>.
/// </summary>
public sealed class SqliteCatalogStore : SqlCatalogStore
{
    /// <summary>How long a writer waits for another process's write transaction before failing.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    // Run on every connection: these settings belong to the connection, not the file. FULL makes
    // each commit fsync the WAL: in WAL mode NORMAL is safe against corruption but a power cut can
    // lose the last commits, and a registration that has been acknowledged (and logged, with a
    // receipt handed out) must not vanish. Imports are dominated by decoding, not by this fsync.
    private static readonly string ConnectionSetup =
        $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = FULL;";

    private readonly string _connectionString;

    private SqliteCatalogStore(string connectionString, IReadOnlyList<SqlMigration> migrations)
        : base(SqliteDialect.Instance, migrations)
    {
        _connectionString = connectionString;
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    /// <summary>
    /// Opens the catalog in <paramref name="databasePath"/>, creating the file (and its folder) when
    /// absent, switching it to WAL mode, and applying missing migrations.
    /// </summary>
    public static Task<SqliteCatalogStore> OpenAsync(string databasePath, CancellationToken ct = default) =>
        OpenAsync(databasePath, CatalogMigrations.All, ct);

    /// <summary>Opens with another list of migrations: tests use it to play a later version's upgrade.</summary>
    internal static async Task<SqliteCatalogStore> OpenAsync(string databasePath, IReadOnlyList<SqlMigration> migrations, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var fullPath = Path.GetFullPath(databasePath);
        if (Directory.Exists(fullPath))
        {
            throw new ArgumentException($"'{fullPath}' is a folder; give the path of the database file", nameof(databasePath));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();

        return await MigrateNewAsync(new SqliteCatalogStore(connectionString, migrations), store => store.EnableWalAsync(ct), ct).ConfigureAwait(false);
    }

    private async Task EnableWalAsync(CancellationToken ct)
    {
        // The journal mode is stored in the file, so this needs to succeed once; it is cheap after.
        var mode = await WithConnectionAsync(connection => ScalarAsync(Command(connection, null, "PRAGMA journal_mode = WAL"), ct), ct).ConfigureAwait(false) as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite refused WAL mode for '{DatabasePath}' (journal mode is '{mode}'); is the file on a network share?");
        }
    }

    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await ExecuteAsync(Command(connection, null, ConnectionSetup), ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // BEGIN IMMEDIATE: a deferred transaction that reads and then writes cannot wait for the lock
    // (SQLite returns SQLITE_BUSY at once to avoid deadlock), so writers take it up front and the
    // busy timeout applies.
    protected override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    // A deferred transaction takes its WAL snapshot at the first read and holds no write lock.
    protected override ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    // BEGIN IMMEDIATE already holds the database's only write lock for the whole migration.
    protected override Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct) =>
        Task.CompletedTask;

    protected override ValueTask DisposeAsyncCore()
    {
        // Close pooled connections so that the file is no longer held open (the WAL is checkpointed
        // and removed when the last connection closes).
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"SQLite catalog {DatabasePath}";
}
