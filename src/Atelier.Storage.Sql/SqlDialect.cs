using System.Data;
using System.Data.Common;

namespace Atelier.Storage.Sql;

/// <summary>
/// What differs between the SQL databases the catalog runs on: a few column types used by the
/// migrations, how an instant, a duration and a JSON document travel as parameters, the database's
/// clock, and how a unique-constraint violation is recognised. The SQL text and the mapping are
/// shared by <see cref="SqlCatalogStore"/>.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>Column type of an instant, stored as <see cref="CatalogTime.Normalize"/> returns it.</summary>
    public abstract string TimeType { get; }

    /// <summary>Column type of a JSON document.</summary>
    public abstract string JsonType { get; }

    /// <summary>Column definition (type and constraint) of a 64-bit primary key the database assigns in increasing order.</summary>
    public abstract string IdentityPrimaryKey { get; }

    /// <summary>
    /// Column definition of a 64-bit primary key assigned in increasing order that never names two rows,
    /// even when the highest one is deleted: callers keep these numbers (a log entry's seq), and the
    /// queue may be trimmed of sequenced entries one day.
    /// </summary>
    public abstract string SequencePrimaryKey { get; }

    /// <summary>Column type of a byte string.</summary>
    public abstract string BlobType { get; }

    /// <summary>
    /// COLLATE clause that orders and compares text by its code points, whatever the database's locale
    /// (keyset paging by id relies on one order that C# can repeat).
    /// </summary>
    public abstract string OrdinalCollation { get; }

    /// <summary>
    /// Clause ending a SELECT of one row that keeps other writers off that row until the transaction
    /// ends, while still letting rows that reference it be inserted; empty where the write transaction
    /// already excludes every other writer.
    /// </summary>
    public abstract string LockRowClause { get; }

    /// <summary>
    /// SQL expression for the current instant, comparable with <see cref="TimeType"/> columns, read from the
    /// clock every process using the database shares (leases depend on them agreeing).
    /// </summary>
    public abstract string CurrentTime { get; }

    /// <summary>Sets a duration parameter that SQL can add to <see cref="CurrentTime"/> or a <see cref="TimeType"/> column.</summary>
    public abstract void SetDuration(DbParameter parameter, TimeSpan duration);

    /// <summary>Sets an instant parameter; <paramref name="utc"/> is already normalised by <see cref="CatalogTime.Normalize"/>.</summary>
    public abstract void SetTime(DbParameter parameter, DateTimeOffset? utc);

    /// <summary>Reads an instant written through <see cref="SetTime"/>, as a UTC <see cref="DateTimeOffset"/>.</summary>
    public abstract DateTimeOffset GetTime(DbDataReader reader, int ordinal);

    /// <summary>Sets a JSON document parameter.</summary>
    public virtual void SetJson(DbParameter parameter, string json)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        parameter.DbType = DbType.String;
        parameter.Value = json;
    }

    /// <summary>True when the statement failed because it would break a unique index or primary key.</summary>
    public abstract bool IsUniqueViolation(DbException exception);
}
