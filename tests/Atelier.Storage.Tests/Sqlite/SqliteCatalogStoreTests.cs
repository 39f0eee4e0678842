using Atelier.Core;
using Atelier.Storage.Sql;
using Atelier.Storage.Sqlite;
using Atelier.Storage.Tests.Sql;
using Atelier.Testing;
using Microsoft.Data.Sqlite;

namespace Atelier.Storage.Tests.Sqlite;

/// <summary>The conformance suite on a real SQLite file, in a folder whose name is not ASCII.</summary>
public sealed class SqliteCatalogStoreTests : CatalogStoreConformance
{
    private readonly TempDirectory _directory = new("atelier-sqlite");

    private string DatabasePath => _directory.Combine("目录 catalog", "atelier.db");

    protected override async Task<ICatalogStore> OpenNewStoreAsync(IReadOnlyList<SqlMigration> migrations) =>
        await SqliteCatalogStore.OpenAsync(DatabasePath, migrations, Ct);

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = await OpenRawAsync();
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    protected override async Task<string?> QueryTextAsync(string sql)
    {
        await using var connection = await OpenRawAsync();
        await using var command = new SqliteCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct) as string;
    }

    private async Task<SqliteConnection> OpenRawAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        return connection;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task OpenAsync_missingFolder_createsDatabaseInWalMode()
    {
        await using var store = await SqliteCatalogStore.OpenAsync(DatabasePath, Ct);

        Assert.True(File.Exists(DatabasePath));
        Assert.Equal(Path.GetFullPath(DatabasePath), store.DatabasePath);
        Assert.Equal("wal", await QueryTextAsync("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task OpenAsync_pathIsFolder_throwsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SqliteCatalogStore.OpenAsync(_directory.Path, Ct));
    }

    [Fact]
    public async Task OpenAsync_fileIsNotADatabase_throwsAndLeavesItAlone()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        var junk = "this is not a database, and it must survive"u8.ToArray();
        await File.WriteAllBytesAsync(DatabasePath, [.. junk, .. new byte[4096]], Ct);

        await Assert.ThrowsAsync<SqliteException>(() => SqliteCatalogStore.OpenAsync(DatabasePath, Ct));

        Assert.Equal(junk, (await File.ReadAllBytesAsync(DatabasePath, Ct))[..junk.Length]);
    }
}
