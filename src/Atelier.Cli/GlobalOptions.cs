using System.CommandLine;
using Atelier.Catalog;

namespace Atelier.Cli;

/// <summary>Options every command takes: where the data lives and which database and blob store to use.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Data = new("--data")
    {
        Description = "The data directory (default ./atelier-data; or set ATELIER_DATA)",
        Recursive = true,
    };

    public static readonly Option<string?> Db = new("--db")
    {
        Description = "A PostgreSQL connection string instead of the embedded SQLite database (or set ATELIER_DB)",
        Recursive = true,
    };

    public static readonly Option<string?> Blobs = new("--blobs")
    {
        Description = "An S3-compatible store instead of the local blob folder, as 'endpoint=URL;bucket=B;prefix=P;accessKey=K;secretKey=S' (or set ATELIER_BLOBS)",
        Recursive = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON" };

    public static AtelierSettings Settings(ParseResult parse, long? maxUploadBytes = null) =>
        AtelierSettings.Resolve(parse.GetValue(Data), parse.GetValue(Db), parse.GetValue(Blobs), maxUploadBytes);
}
