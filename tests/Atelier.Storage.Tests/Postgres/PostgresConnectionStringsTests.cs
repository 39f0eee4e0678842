using Atelier.Storage.Postgres;
using Npgsql;

namespace Atelier.Storage.Tests.Postgres;

public class PostgresConnectionStringsTests
{
    private static NpgsqlConnectionStringBuilder Convert(string connectionString) =>
        new(PostgresConnectionStrings.ToNpgsql(connectionString));

    [Theory]
    [InlineData("postgres")]
    [InlineData("postgresql")]
    [InlineData("PostgreSQL")]
    public void ToNpgsql_uri_givesEveryPart(string scheme)
    {
        var builder = Convert($"{scheme}://atelier:s3cr%40t%3Aw%2Frd@db.example.org:6543/%E7%94%BB%E5%BB%8A");

        Assert.Equal("atelier", builder.Username);
        Assert.Equal("s3cr@t:w/rd", builder.Password);
        Assert.Equal("db.example.org", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("画廊", builder.Database);
    }

    [Fact]
    public void ToNpgsql_uriWithParameters_mapsThemToNpgsqlKeywords()
    {
        var builder = Convert("postgresql://u@h/db?sslmode=verify-full&application_name=atelier%20server&connect_timeout=7&options=-c%20search_path%3Dcat&target_session_attrs=read-write");

        Assert.Equal(SslMode.VerifyFull, builder.SslMode);
        Assert.Equal("atelier server", builder.ApplicationName);
        Assert.Equal(7, builder.Timeout);
        Assert.Equal("-c search_path=cat", builder.Options);
        Assert.Equal("read-write", builder.TargetSessionAttributes);
        Assert.Equal(5432, builder.Port);
    }

    [Fact]
    public void ToNpgsql_uriWithRawAtInPassword_splitsAtTheLastAt()
    {
        var builder = Convert("postgres://user:p@ss@localhost/db");

        Assert.Equal("p@ss", builder.Password);
        Assert.Equal("localhost", builder.Host);
    }

    [Fact]
    public void ToNpgsql_uriWithSeveralHostsAndIpv6_listsThemForNpgsql()
    {
        Assert.Equal("a:5433,[::1]:5434,c", Convert("postgresql://u@a:5433,[::1]:5434,c/db").Host);
        var single = Convert("postgresql://[2001:db8::7]:5555/db");
        Assert.Equal("2001:db8::7", single.Host);
        Assert.Equal(5555, single.Port);
    }

    [Fact]
    public void ToNpgsql_uriWithSocketDirectoryAsHostParameter_usesIt()
    {
        var builder = Convert("postgresql:///atelier?host=%2Fvar%2Frun%2Fpostgresql&user=me");

        Assert.Equal("/var/run/postgresql", builder.Host);
        Assert.Equal("atelier", builder.Database);
        Assert.Equal("me", builder.Username);
    }

    [Fact]
    public void ToNpgsql_keyValueString_isKept()
    {
        var builder = Convert("Host=127.0.0.1;Port=54329;Username=atelier;Password=pw;Database=postgres");

        Assert.Equal("127.0.0.1", builder.Host);
        Assert.Equal(54329, builder.Port);
        Assert.Equal("pw", builder.Password);
    }

    [Theory]
    [InlineData("postgresql://u:TopSecret99@h/db?unknown_param=1")]
    [InlineData("postgresql://u:TopSecret99@h:notaport/db")]
    [InlineData("postgresql://u:TopSecret99@h:70000/db")]
    [InlineData("postgresql://u:TopSecret99@[::1/db")]
    [InlineData("postgresql://u:TopSecret99@h/db?sslmode=sometimes")]
    [InlineData("Host=h;Password=TopSecret99;Colour=blue")]
    public void ToNpgsql_invalid_throwsArgumentExceptionWithoutThePassword(string connectionString)
    {
        var e = Assert.Throws<ArgumentException>(() => PostgresConnectionStrings.ToNpgsql(connectionString));

        Assert.DoesNotContain("TopSecret99", e.ToString(), StringComparison.Ordinal);
    }
}
