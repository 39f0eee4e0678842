using System.Data;
using System.Data.Common;
using Atelier.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Atelier.Storage.Sqlite;

/// <summary>
/// SQLite's side of the catalog SQL. Instants are INTEGER microseconds since the Unix epoch: they
/// sort and compare as numbers, and unlike text they cannot be written in two spellings.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    // https://sqlite.org/rescode.html: SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE.
    private const int ConstraintPrimaryKey = 1555;
    private const int ConstraintUnique = 2067;

    public static SqliteDialect Instance { get; } = new();

    public override string TimeType => "INTEGER";

    public override string JsonType => "TEXT";

    // A rowid alias: assigned in increasing order, and never reused because events are never deleted.
    public override string IdentityPrimaryKey => "INTEGER NOT NULL PRIMARY KEY";

    // Without AUTOINCREMENT a rowid alias takes max(rowid) + 1, which reuses the number of a deleted last row.
    public override string SequencePrimaryKey => "INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT";

    public override string BlobType => "BLOB";

    // BINARY is SQLite's default; named so that the SQL says what it relies on.
    public override string OrdinalCollation => "COLLATE BINARY";

    // BEGIN IMMEDIATE already holds the database's only write lock.
    public override string LockRowClause => string.Empty;

    // SQLite's clock is the operating system's: every process using the file runs on this one machine
    // (WAL needs shared memory, so never over a network share), so all of them read the same clock, as
    // C#'s would. 'subsec' (SQLite 3.42) gives milliseconds; rounding keeps float error out of the integer.
    public override string CurrentTime => "(CAST(round(unixepoch('subsec') * 1000) AS INTEGER) * 1000)";

    public override void SetDuration(DbParameter parameter, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        parameter.DbType = DbType.Int64;
        parameter.Value = duration.Ticks / (TimeSpan.TicksPerMillisecond / 1000);
    }

    public override void SetTime(DbParameter parameter, DateTimeOffset? utc)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        parameter.DbType = DbType.Int64;
        parameter.Value = utc is { } value ? CatalogTime.ToUnixMicroseconds(value) : DBNull.Value;
    }

    public override DateTimeOffset GetTime(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return CatalogTime.FromUnixMicroseconds(reader.GetInt64(ordinal));
    }

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: ConstraintUnique or ConstraintPrimaryKey };
}
