using System.Globalization;
using Atelier.Core;

namespace Atelier.Transparency.Entries;

/// <summary>
/// The log entry that registers a work (type <c>work-registration</c>, version 1). It carries hashes only:
/// the content's SHA-256, digests of its fingerprints and contributors, never content or names in clear.
/// </summary>
public sealed record WorkRegistration
{
    /// <summary>The entry type.</summary>
    public const string EntryType = "work-registration";

    /// <summary>The version of the field set this type writes.</summary>
    public const int CurrentVersion = 1;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>
    /// A registration. <paramref name="registeredAt"/> is kept in UTC to the millisecond, like work ids.
    /// </summary>
    /// <exception cref="ArgumentException">when an id or hash is malformed.</exception>
    public WorkRegistration(string workId, string contentSha256, string fingerprintDigest, string contributorsDigest, DateTimeOffset registeredAt)
    {
        if (!Core.WorkId.IsValid(workId))
        {
            throw new ArgumentException("not a valid work id", nameof(workId));
        }

        foreach (var (value, name) in new[] { (contentSha256, nameof(contentSha256)), (fingerprintDigest, nameof(fingerprintDigest)), (contributorsDigest, nameof(contributorsDigest)) })
        {
            if (!Sha256Hex.IsValid(value))
            {
                throw new ArgumentException("must be 64 lower-case hex digits", name);
            }
        }

        WorkId = workId;
        ContentSha256 = contentSha256;
        FingerprintDigest = fingerprintDigest;
        ContributorsDigest = contributorsDigest;
        var utc = registeredAt.ToUniversalTime();
        RegisteredAt = new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    /// <summary>The work's id.</summary>
    public string WorkId { get; }

    /// <summary>Lower-case hex SHA-256 of the content.</summary>
    public string ContentSha256 { get; }

    /// <summary>Lower-case hex digest of the fingerprint set (see <see cref="EntryDigests"/>).</summary>
    public string FingerprintDigest { get; }

    /// <summary>Lower-case hex digest of the contributors (see <see cref="EntryDigests.Contributors"/>).</summary>
    public string ContributorsDigest { get; }

    /// <summary>When the work was registered, UTC, millisecond precision.</summary>
    public DateTimeOffset RegisteredAt { get; }

    /// <summary>The generic entry.</summary>
    public LogEntry ToEntry() => new(EntryType, CurrentVersion, new Dictionary<string, object>
    {
        ["workId"] = WorkId,
        ["contentSha256"] = ContentSha256,
        ["fingerprintDigest"] = FingerprintDigest,
        ["contributorsDigest"] = ContributorsDigest,
        ["registeredAt"] = RegisteredAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
    });

    /// <summary>The canonical entry bytes to append to the log.</summary>
    public byte[] Encode() => ToEntry().Encode();

    /// <summary>
    /// Reads a registration from a generic entry; null when the entry is of another type or version.
    /// </summary>
    /// <exception cref="FormatException">when the entry claims to be a registration but its fields are wrong.</exception>
    public static WorkRegistration? FromEntry(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Type != EntryType || entry.Version != CurrentVersion)
        {
            return null;
        }

        if (entry.Fields.Count != 5)
        {
            throw new FormatException("a work-registration v1 entry has exactly five fields");
        }

        var at = entry.GetString("registeredAt");
        if (at is null || !DateTime.TryParseExact(at, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            throw new FormatException("registeredAt is not an RFC 3339 UTC time with milliseconds");
        }

        try
        {
            return new WorkRegistration(
                entry.GetString("workId") ?? string.Empty,
                entry.GetString("contentSha256") ?? string.Empty,
                entry.GetString("fingerprintDigest") ?? string.Empty,
                entry.GetString("contributorsDigest") ?? string.Empty,
                new DateTimeOffset(time, TimeSpan.Zero));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"a work-registration field is invalid: {e.ParamName}", e);
        }
    }
}
