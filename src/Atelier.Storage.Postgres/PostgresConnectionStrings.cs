using System.Text;
using Npgsql;

namespace Atelier.Storage.Postgres;

/// <summary>
/// Accepts both connection string forms users have at hand: Npgsql's <c>Host=…;Username=…</c> and
/// libpq's URIs, <c>postgres://user:password@host:port/database?sslmode=require</c>, which Npgsql does
/// not read (PostgreSQL manual, "libpq — Connection Strings", 34.1.1.2 "Connection URIs").
/// </summary>
public static class PostgresConnectionStrings
{
    // libpq URI parameters and the Npgsql keywords that mean the same thing. Anything else is refused
    // rather than dropped, because a silently ignored sslmode or host changes where data goes.
    private static readonly Dictionary<string, string> UriParameters = new(StringComparer.Ordinal)
    {
        ["host"] = "Host",
        ["port"] = "Port",
        ["dbname"] = "Database",
        ["user"] = "Username",
        ["password"] = "Password",
        ["passfile"] = "Passfile",
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["options"] = "Options",
        ["target_session_attrs"] = "Target Session Attributes",
        ["client_encoding"] = "Client Encoding",
        ["krbsrvname"] = "Kerberos Service Name",
    };

    /// <summary>True when <paramref name="connectionString"/> is a <c>postgres://</c> or <c>postgresql://</c> URI.</summary>
    public static bool IsUri(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var trimmed = connectionString.AsSpan().TrimStart();
        return trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The Npgsql form of <paramref name="connectionString"/>. Error messages never include the
    /// string itself, since it usually holds a password.
    /// </summary>
    public static string ToNpgsql(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            return IsUri(connectionString)
                ? FromUri(connectionString.Trim()).ConnectionString
                : new NpgsqlConnectionStringBuilder(connectionString).ConnectionString;
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or KeyNotFoundException or (ArgumentException and not ArgumentNullException))
        {
            throw new ArgumentException($"the PostgreSQL connection string is not valid: {Describe(e)}", nameof(connectionString));
        }
    }

    private static NpgsqlConnectionStringBuilder FromUri(string uri)
    {
        var rest = uri[(uri.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var builder = new NpgsqlConnectionStringBuilder();

        var query = string.Empty;
        var questionMark = rest.IndexOf('?', StringComparison.Ordinal);
        if (questionMark >= 0)
        {
            query = rest[(questionMark + 1)..];
            rest = rest[..questionMark];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var database = Unescape(rest[(slash + 1)..]);
            if (database.Length > 0)
            {
                builder.Database = database;
            }

            rest = rest[..slash];
        }

        // The last '@' ends the user part: a raw '@' in a password is common enough to tolerate.
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Unescape(colon >= 0 ? userInfo[..colon] : userInfo);
            if (user.Length > 0)
            {
                builder.Username = user;
            }

            if (colon >= 0)
            {
                builder.Password = Unescape(userInfo[(colon + 1)..]);
            }
        }

        if (rest.Length > 0)
        {
            SetHosts(builder, rest);
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Unescape(equals >= 0 ? pair[..equals] : pair);
            var value = equals >= 0 ? Unescape(pair[(equals + 1)..]) : string.Empty;
            if (!UriParameters.TryGetValue(name, out var keyword))
            {
                throw new FormatException($"the URI parameter '{name}' is not supported");
            }

            if (name == "sslmode")
            {
                // libpq spells verify-full, Npgsql VerifyFull.
                value = value.Replace("-", string.Empty, StringComparison.Ordinal);
            }

            builder[keyword] = value;
        }

        return builder;
    }

    /// <summary>host[:port] or a comma-separated list of them, IPv6 addresses in brackets.</summary>
    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string hostSpec)
    {
        var hosts = new List<(string Host, string? Port)>();
        foreach (var part in hostSpec.Split(','))
        {
            string host;
            string? port = null;
            if (part.StartsWith('['))
            {
                var close = part.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new FormatException("an IPv6 host in the URI lacks its closing ']'");
                }

                host = part[1..close];
                if (close + 1 < part.Length)
                {
                    if (part[close + 1] != ':')
                    {
                        throw new FormatException("unexpected text after an IPv6 host in the URI");
                    }

                    port = part[(close + 2)..];
                }
            }
            else
            {
                var colon = part.IndexOf(':', StringComparison.Ordinal);
                host = Unescape(colon >= 0 ? part[..colon] : part);
                port = colon >= 0 ? part[(colon + 1)..] : null;
            }

            hosts.Add((host, string.IsNullOrEmpty(port) ? null : port));
        }

        if (hosts.Count == 1)
        {
            if (hosts[0].Host.Length > 0)
            {
                builder.Host = hosts[0].Host;
            }

            if (hosts[0].Port is { } single)
            {
                builder.Port = ParsePort(single);
            }

            return;
        }

        // Npgsql takes several hosts as one comma-separated Host value with a port on each.
        var list = new StringBuilder();
        foreach (var (host, port) in hosts)
        {
            if (host.Length == 0)
            {
                throw new FormatException("a host in the URI's host list is empty");
            }

            list.Append(list.Length == 0 ? string.Empty : ",")
                .Append(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host);
            if (port is not null)
            {
                list.Append(':').Append(ParsePort(port));
            }
        }

        builder.Host = list.ToString();
    }

    private static int ParsePort(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new FormatException("a port in the URI is not a number between 1 and 65535");

    private static string Unescape(string text) => Uri.UnescapeDataString(text);

    // Npgsql's messages name the keyword, not the value; ours above never include values.
    private static string Describe(Exception e) => e is ArgumentException { ParamName: not null } a
        ? a.Message.Replace($" (Parameter '{a.ParamName}')", string.Empty, StringComparison.Ordinal)
        : e.Message;
}
