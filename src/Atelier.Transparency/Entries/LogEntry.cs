using System.Text.Json;
using Atelier.Transparency.Tiles;

namespace Atelier.Transparency.Entries;

/// <summary>
/// One log entry: a flat JSON object with a <c>type</c>, a version <c>v</c> and string or integer fields,
/// encoded as RFC 8785 canonical JSON so the same entry always has the same bytes (and leaf hash). Entry
/// types are an open set; readers skip types they do not know.
/// </summary>
public sealed class LogEntry
{
    /// <summary>The member naming the entry type.</summary>
    public const string TypeField = "type";

    /// <summary>The member holding the entry type's version.</summary>
    public const string VersionField = "v";

    private const int MaxFields = 64;
    private readonly SortedDictionary<string, object> _fields;

    /// <summary>An entry of <paramref name="type"/> and <paramref name="version"/> with <paramref name="fields"/> (string or long values).</summary>
    public LogEntry(string type, int version, IReadOnlyDictionary<string, object> fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Count > MaxFields)
        {
            throw new ArgumentException($"an entry has at most {MaxFields} fields", nameof(fields));
        }

        _fields = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            if (name is TypeField or VersionField || string.IsNullOrEmpty(name))
            {
                throw new ArgumentException($"field name '{name}' is empty or reserved", nameof(fields));
            }

            _fields[name] = value switch
            {
                string s => s,
                int i => (long)i,
                long l => l,
                _ => throw new ArgumentException($"field '{name}' must be a string or an integer", nameof(fields)),
            };
        }

        Type = type;
        Version = version;
    }

    /// <summary>The entry type, for example <c>work-registration</c>.</summary>
    public string Type { get; }

    /// <summary>The version of the entry type's field set.</summary>
    public int Version { get; }

    /// <summary>The fields other than type and version, sorted by name.</summary>
    public IReadOnlyDictionary<string, object> Fields => _fields;

    /// <summary>A string field, or null when absent or not a string.</summary>
    public string? GetString(string name) => _fields.TryGetValue(name, out var value) ? value as string : null;

    /// <summary>The canonical bytes: what the log stores and hashes.</summary>
    public byte[] Encode()
    {
        var all = new Dictionary<string, object>(_fields, StringComparer.Ordinal)
        {
            [TypeField] = Type,
            [VersionField] = (long)Version,
        };
        var bytes = CanonicalJson.Serialize(all);
        EntryBundle.CheckEntry(bytes);
        return bytes;
    }

    /// <summary>
    /// Parses entry bytes. Only the canonical encoding is accepted, so parsing and encoding round-trip
    /// byte for byte.
    /// </summary>
    /// <exception cref="FormatException">when the bytes are not a canonical log entry.</exception>
    public static LogEntry Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > EntryBundle.MaxEntryLength)
        {
            throw new FormatException($"a log entry is at most {EntryBundle.MaxEntryLength} bytes");
        }

        string? type = null;
        long version = 0;
        var fields = new Dictionary<string, object>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 2 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("a log entry is a JSON object");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString()!;
                reader.Read();
                object value = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString()!,
                    JsonTokenType.Number when reader.TryGetInt64(out var number) => number,
                    _ => throw new FormatException($"entry field '{name}' is not a string or an integer"),
                };
                if (name == TypeField)
                {
                    type = value as string ?? throw new FormatException("the entry type is not a string");
                }
                else if (name == VersionField)
                {
                    version = value is long v and > 0 and <= int.MaxValue ? v : throw new FormatException("the entry version is not a positive integer");
                }
                else if (!fields.TryAdd(name, value))
                {
                    throw new FormatException($"entry field '{name}' appears twice");
                }
            }

            if (reader.Read())
            {
                throw new FormatException("the entry has bytes after its object");
            }
        }
        catch (JsonException e)
        {
            throw new FormatException("the entry is not valid JSON: " + e.Message, e);
        }

        if (string.IsNullOrEmpty(type) || version == 0)
        {
            throw new FormatException("the entry has no type or version");
        }

        LogEntry entry;
        try
        {
            entry = new LogEntry(type, (int)version, fields);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }

        if (!bytes.SequenceEqual(entry.Encode()))
        {
            throw new FormatException("the entry is not in canonical form (RFC 8785)");
        }

        return entry;
    }
}
