using Atelier.Core;
using Atelier.Storage.Postgres;
using Atelier.Storage.Sql;
using Atelier.Storage.Tests.Sql;
using Npgsql;

namespace Atelier.Storage.Tests.Postgres;

/// <summary>
/// The conformance suite on a real PostgreSQL server. Each test gets its own schema (through
/// search_path) in the run's throwaway database, so tests never see each other's rows.
/// </summary>
public sealed class PostgresCatalogStoreTests(PostgresTestDatabase database) : CatalogStoreConformance, IClassFixture<PostgresTestDatabase>
{
    private string? _connectionString;
    private string? _schema;

    public override async ValueTask InitializeAsync()
    {
        if (database.ConnectionString is null)
        {
            return;
        }

        _schema = $"test_{Guid.NewGuid():N}";
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { SearchPath = _schema };
        _connectionString = builder.ConnectionString;
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"CREATE SCHEMA {_schema}", connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private string RequireServer()
    {
        if (_connectionString is null)
        {
            Assert.Skip(PostgresTestDatabase.SkipReason);
        }

        return _connectionString;
    }

    protected override async Task<ICatalogStore> OpenNewStoreAsync(IReadOnlyList<SqlMigration> migrations) =>
        await PostgresCatalogStore.OpenAsync(RequireServer(), migrations, Ct);

    protected override Task ExecuteSqlAsync(string sql) => ExecuteOnAsync(RequireServer(), sql);

    protected override async Task<string?> QueryTextAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(RequireServer());
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct) as string;
    }

    [Fact]
    public async Task OpenAsync_uriConnectionString_reachesTheSameDatabase()
    {
        var builder = new NpgsqlConnectionStringBuilder(RequireServer());
        var uri = $"postgresql://{Uri.EscapeDataString(builder.Username!)}:{Uri.EscapeDataString(builder.Password ?? string.Empty)}"
            + $"@{builder.Host}:{builder.Port}/{Uri.EscapeDataString(builder.Database!)}"
            + $"?application_name=atelier-test&options={Uri.EscapeDataString($"-c search_path={_schema}")}";
        var viaKeyValue = await OpenStoreAsync();
        var work = await AddAsync(viaKeyValue, NewWork("通过 URI"));

        await using var viaUri = await PostgresCatalogStore.OpenAsync(uri, Ct);

        AssertSameWork(work, await viaUri.GetWorkAsync(work.Id, Ct));
        Assert.DoesNotContain(builder.Password ?? "\u0001", viaUri.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_wrongPassword_failsWithoutLeakingIt()
    {
        var builder = new NpgsqlConnectionStringBuilder(RequireServer()) { Password = "wrong-password-5d41402abc" };

        var e = await Assert.ThrowsAnyAsync<Exception>(() => PostgresCatalogStore.OpenAsync(builder.ConnectionString, Ct));

        Assert.IsAssignableFrom<NpgsqlException>(e);
        Assert.DoesNotContain("wrong-password-5d41402abc", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListFingerprintsAsync_databaseCollatingDanish_listsInOrdinalIdOrder()
    {
        RequireServer();
        var name = $"atelier_test_da_{Guid.NewGuid():N}";
        try
        {
            await ExecuteOnAsync(database.ConnectionString!, $"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'da'");
        }
        catch (PostgresException e)
        {
            Assert.Skip($"the server cannot create a database collating by ICU 'da' (PostgreSQL 15 with ICU is needed): {e.MessageText}");
        }

        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = name }.ConnectionString;
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync(Ct);
                await using var check = new NpgsqlCommand("SELECT 'aaz' > 'azz'", connection);
                Assert.True((bool)(await check.ExecuteScalarAsync(Ct))!, "the database should sort 'aa' (as 'å') after 'az'");
            }

            await using var store = await PostgresCatalogStore.OpenAsync(connectionString, Ct);
            var prefix = WorkId.New(T0)[..10];
            string[] ids = [prefix + "aa" + new string('0', 14), prefix + "az" + new string('0', 14)];
            foreach (var id in ids.Reverse())
            {
                await store.AddWorkAsync(NewWork() with { Id = id }, null, fingerprints: [new("image/v1", [1])], ct: Ct);
            }

            var listed = await store.ListFingerprintsAsync("image/v1", Ct).Select(f => f.WorkId).ToListAsync(Ct);

            Assert.Equal(ids, listed);
        }
        finally
        {
            await ExecuteOnAsync(database.ConnectionString!, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    private async Task ExecuteOnAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
