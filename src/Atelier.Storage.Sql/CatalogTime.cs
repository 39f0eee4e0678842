namespace Atelier.Storage.Sql;

/// <summary>
/// How the catalog stores instants: in UTC, truncated to whole microseconds (PostgreSQL's
/// <c>timestamptz</c> resolution; SQLite stores the same microseconds since the Unix epoch as an
/// integer). A store gives back exactly <see cref="Normalize"/> of what it was given, with offset zero.
/// </summary>
public static class CatalogTime
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>The instant as the catalog keeps it: UTC, sub-microsecond ticks dropped.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TicksPerMicrosecond), TimeSpan.Zero);
    }

    /// <summary>Microseconds since 1970-01-01T00:00:00Z (negative before it).</summary>
    public static long ToUnixMicroseconds(DateTimeOffset value) =>
        (Normalize(value).UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerMicrosecond;

    public static DateTimeOffset FromUnixMicroseconds(long microseconds) =>
        new(DateTimeOffset.UnixEpoch.UtcTicks + (microseconds * TicksPerMicrosecond), TimeSpan.Zero);
}
