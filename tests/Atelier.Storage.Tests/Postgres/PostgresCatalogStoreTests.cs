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

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(RequireServer());
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

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
}
