using System.Data;
using System.Data.Common;

namespace Atelier.Storage.Sql;

/// <summary>
/// What differs between the SQL databases the catalog runs on: a few column types used by the
/// migrations, how an instant and a JSON document travel as parameters, and how a unique-constraint
/// violation is recognised. The SQL text and the mapping are shared by <see cref="SqlCatalogStore"/>.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>Column type of an instant, stored as <see cref="CatalogTime.Normalize"/> returns it.</summary>
    public abstract string TimeType { get; }

    /// <summary>Column type of a JSON document.</summary>
    public abstract string JsonType { get; }

    /// <summary>Column definition (type and constraint) of a 64-bit primary key the database assigns in increasing order.</summary>
    public abstract string IdentityPrimaryKey { get; }

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
