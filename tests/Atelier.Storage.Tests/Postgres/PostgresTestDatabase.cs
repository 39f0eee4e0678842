using Atelier.Storage.Postgres;
using Npgsql;

namespace Atelier.Storage.Tests.Postgres;

/// <summary>
/// A throwaway database on the server named by <c>ATELIER_TEST_POSTGRES</c>, created for one test run
/// and dropped after it. Without the variable there is no database and the tests skip.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncLifetime
{
    public const string Variable = "ATELIER_TEST_POSTGRES";

    public const string SkipReason = "ATELIER_TEST_POSTGRES is not set: no PostgreSQL server to test against (.ci/run starts one)";

    private string? _adminConnectionString;
    private string? _name;

    /// <summary>The test database's connection string; null when no server is configured.</summary>
    public string? ConnectionString { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(configured))
        {
            return;
        }

        _adminConnectionString = PostgresConnectionStrings.ToNpgsql(configured);
        // Only [a-z0-9_]: safe as an identifier, which CREATE DATABASE cannot take as a parameter.
        _name = $"atelier_test_{Guid.NewGuid():N}";
        await ExecuteAdminAsync($"CREATE DATABASE {_name} ENCODING 'UTF8' TEMPLATE template0");
        ConnectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = _name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_name is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAdminAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
        }
    }

    private async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
