using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Atelier.Core;

namespace Atelier.Storage.Sql;

/// <summary>
/// The JSON form of <see cref="WorkMetadata"/> in the <c>works.metadata</c> column: camelCase property
/// names, dictionary keys (audio tags) kept as they are, nulls left out, CJK kept readable.
/// </summary>
internal static class MetadataJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        // A NaN duration from a broken file still round-trips instead of failing the import.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        TypeInfoResolver = MetadataJsonContext.Default,
    };

    public static string Serialize(WorkMetadata metadata) =>
        JsonSerializer.Serialize(metadata, Options.GetTypeInfo(typeof(WorkMetadata)));

    public static WorkMetadata Deserialize(string json) =>
        (WorkMetadata?)JsonSerializer.Deserialize(json, Options.GetTypeInfo(typeof(WorkMetadata)))
        ?? throw new InvalidDataException("a work's metadata column holds JSON null");
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WorkMetadata))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;
