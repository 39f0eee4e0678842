// The JSON Canonicalization Scheme of RFC 8785 for the subset log entries use: objects (members sorted by
// UTF-16 code units, §3.2.3), arrays, strings (escaped as §3.2.2.2 prescribes) and integers within
// ±(2^53 − 1) (serialised as ECMAScript does, §3.2.2.3), with no whitespace.
using System.Globalization;
using System.Text;

namespace Atelier.Transparency.Entries;

/// <summary>Writes RFC 8785 canonical JSON for strings, integers, arrays and objects.</summary>
public static class CanonicalJson
{
    /// <summary>The largest integer magnitude I-JSON (RFC 7493) carries exactly: 2^53 − 1.</summary>
    public const long MaxSafeInteger = (1L << 53) - 1;

    /// <summary>
    /// The canonical UTF-8 bytes of <paramref name="value"/>: a <see cref="string"/>, an integer, an
    /// <see cref="IReadOnlyDictionary{TKey,TValue}"/> of string to value, or an
    /// <see cref="IEnumerable{T}"/> of values.
    /// </summary>
    public static byte[] Serialize(object value)
    {
        var builder = new StringBuilder();
        Write(builder, value);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static void Write(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case string text:
                WriteString(builder, text);
                break;
            case int or long:
                var number = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                if (number is > MaxSafeInteger or < -MaxSafeInteger)
                {
                    throw new ArgumentException($"integer {number} is outside the range JSON carries exactly");
                }

                builder.Append(number.ToString(CultureInfo.InvariantCulture));
                break;
            case IReadOnlyDictionary<string, object> members:
                builder.Append('{');
                var first = true;
                foreach (var key in members.Keys.Order(StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    WriteString(builder, key);
                    builder.Append(':');
                    Write(builder, members[key]);
                }

                builder.Append('}');
                break;
            case System.Collections.IEnumerable items:
                builder.Append('[');
                var firstItem = true;
                foreach (var item in items)
                {
                    if (!firstItem)
                    {
                        builder.Append(',');
                    }

                    firstItem = false;
                    Write(builder, item);
                }

                builder.Append(']');
                break;
            default:
                throw new ArgumentException($"canonical JSON here holds strings, integers, arrays and objects, not {value?.GetType().Name ?? "null"}");
        }
    }

    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (char.IsSurrogate(ch))
            {
                // A lone surrogate has no UTF-8 form; I-JSON forbids it.
                if (!char.IsHighSurrogate(ch) || i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    throw new ArgumentException("a string holds a lone surrogate");
                }

                builder.Append(ch).Append(text[++i]);
                continue;
            }

            switch (ch)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (ch < 0x20)
                    {
                        builder.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(ch);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
