using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atelier.Catalog;

/// <summary>
/// The one JSON shape of Atelier's objects, shared by `--json` output and the HTTP API so scripts can
/// use either: camelCase names, lower-case enum values ("image", "owner"), nulls left out, and
/// non-ASCII text (Chinese titles) written as-is rather than escaped.
/// </summary>
public static class AtelierJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    /// <summary>Applies the shared settings to options owned by a host (ASP.NET's, say).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
    }

    private static JsonSerializerOptions Create(bool indented)
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = indented };
        Configure(o);
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
