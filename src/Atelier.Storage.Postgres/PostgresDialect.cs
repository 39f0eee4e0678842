using System.Data.Common;
using Atelier.Storage.Sql;
using Npgsql;
using NpgsqlTypes;

namespace Atelier.Storage.Postgres;

/// <summary>
/// PostgreSQL's side of the catalog SQL: native <c>timestamptz</c> (microseconds) and <c>json</c>.
/// Not <c>jsonb</c>: it refuses <c>\u0000</c>, which EXIF and ID3 strings padded with NULs produce, and
/// metadata must round-trip exactly; nothing queries inside it yet (a later migration can add a
/// <c>jsonb</c> expression index if something does).
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    public static PostgresDialect Instance { get; } = new();

    public override string TimeType => "timestamptz";

    public override string JsonType => "json";

    public override string IdentityPrimaryKey => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    // Identity columns draw from a sequence, which never hands a number out twice.
    public override string SequencePrimaryKey => IdentityPrimaryKey;

    public override string BlobType => "bytea";

    // A cluster initialised with a locale collates text by it: ids of the same length would still sort
    // apart from their code points under some (Danish sorts "aa" as "å" after "z").
    public override string OrdinalCollation => "COLLATE \"C\"";

    // NO KEY: the foreign keys of rows being inserted for this row only take KEY SHARE, which this
    // lock lets through, while a second writer of the same row waits.
    public override string LockRowClause => "FOR NO KEY UPDATE";

    // The server's clock, shared by every Atelier process on every machine. now() is the start of the
    // transaction; the statements that read it run alone in theirs.
    public override string CurrentTime => "now()";

    public override void SetDuration(DbParameter parameter, TimeSpan duration)
    {
        var npgsql = (NpgsqlParameter)parameter;
        npgsql.NpgsqlDbType = NpgsqlDbType.Interval;
        npgsql.Value = duration;
    }

    public override void SetTime(DbParameter parameter, DateTimeOffset? utc)
    {
        var npgsql = (NpgsqlParameter)parameter;
        npgsql.NpgsqlDbType = NpgsqlDbType.TimestampTz;
        npgsql.Value = utc is { } value ? value.UtcDateTime : DBNull.Value;
    }

    public override DateTimeOffset GetTime(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        // Npgsql reads timestamptz as a UTC DateTime whatever the session's time zone.
        return new DateTimeOffset(DateTime.SpecifyKind(reader.GetFieldValue<DateTime>(ordinal), DateTimeKind.Utc));
    }

    public override void SetJson(DbParameter parameter, string json)
    {
        var npgsql = (NpgsqlParameter)parameter;
        npgsql.NpgsqlDbType = NpgsqlDbType.Json;
        npgsql.Value = json;
    }

    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
