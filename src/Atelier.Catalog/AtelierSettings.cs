namespace Atelier.Catalog;

/// <summary>
/// Where Atelier keeps its state and how big things may get. Resolved once by the host from command-line
/// options and environment variables (ATELIER_DATA, ATELIER_DB, ATELIER_BLOBS, ATELIER_MAX_UPLOAD_BYTES).
/// </summary>
public sealed record AtelierSettings
{
    public const string DefaultDataDirectory = "atelier-data";
    public const long DefaultMaxUploadBytes = 4L * 1024 * 1024 * 1024;

    /// <summary>The data directory (absolute). Holds the SQLite file, blobs and staging by default.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>A PostgreSQL connection string; null for the embedded SQLite database.</summary>
    public string? Database { get; init; }

    /// <summary>An S3 connection string (see S3StorageOptions); null for the local blob folder.</summary>
    public string? Blobs { get; init; }

    /// <summary>Largest content accepted for one work, from the CLI or an upload.</summary>
    public long MaxUploadBytes { get; init; } = DefaultMaxUploadBytes;

    public string SqlitePath => Path.Combine(DataDirectory, "atelier.db");

    public string BlobDirectory => Path.Combine(DataDirectory, "blobs");

    /// <summary>Incoming content is hashed into files here before it is checked and stored.</summary>
    public string StagingDirectory => Path.Combine(DataDirectory, "staging");

    /// <summary>
    /// Resolves settings from explicit values, falling back to environment variables and defaults.
    /// Relative paths are made absolute against the current directory.
    /// </summary>
    public static AtelierSettings Resolve(string? data, string? db, string? blobs = null, long? maxUploadBytes = null)
    {
        data = FirstNonEmpty(data, Environment.GetEnvironmentVariable("ATELIER_DATA")) ?? DefaultDataDirectory;
        db = FirstNonEmpty(db, Environment.GetEnvironmentVariable("ATELIER_DB"));
        blobs = FirstNonEmpty(blobs, Environment.GetEnvironmentVariable("ATELIER_BLOBS"));
        var max = maxUploadBytes;
        if (max is null && long.TryParse(Environment.GetEnvironmentVariable("ATELIER_MAX_UPLOAD_BYTES"), out var fromEnv))
        {
            max = fromEnv;
        }

        if (max is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxUploadBytes), "the upload limit must be positive");
        }

        return new AtelierSettings
        {
            DataDirectory = Path.GetFullPath(data),
            Database = db,
            Blobs = blobs,
            MaxUploadBytes = max ?? DefaultMaxUploadBytes,
        };
    }

    private static string? FirstNonEmpty(string? a, string? b) =>
        !string.IsNullOrWhiteSpace(a) ? a : !string.IsNullOrWhiteSpace(b) ? b : null;

    /// <summary>Never prints connection secrets.</summary>
    public override string ToString() =>
        $"data={DataDirectory}, db={(Database is null ? "sqlite" : "postgresql")}, blobs={(Blobs is null ? "filesystem" : "s3")}";
}
