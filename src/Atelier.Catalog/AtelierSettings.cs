namespace Atelier.Catalog;

/// <summary>
/// Where Atelier keeps its state and how big things may get. Resolved once by the host from command-line
/// options and environment variables (ATELIER_DATA, ATELIER_DB, ATELIER_BLOBS, ATELIER_MAX_UPLOAD_BYTES,
/// ATELIER_MAX_AUDIO_SECONDS).
/// </summary>
public sealed record AtelierSettings
{
    public const string DefaultDataDirectory = "atelier-data";
    public const long DefaultMaxUploadBytes = 4L * 1024 * 1024 * 1024;

    /// <summary>
    /// Four hours: a long DJ mix or broadcast recording. Decoded at 8 kHz mono float that is 461 MB of samples,
    /// inside the decoder's default 1 GiB budget.
    /// </summary>
    public const double DefaultMaxAudioSeconds = 4 * 3600;

    /// <summary>The data directory (absolute). Holds the SQLite file, blobs and staging by default.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>A PostgreSQL connection string; null for the embedded SQLite database.</summary>
    public string? Database { get; init; }

    /// <summary>An S3 connection string (see S3StorageOptions); null for the local blob folder.</summary>
    public string? Blobs { get; init; }

    /// <summary>Largest content accepted for one work, from the CLI or an upload.</summary>
    public long MaxUploadBytes { get; init; } = DefaultMaxUploadBytes;

    /// <summary>
    /// The longest recording fingerprinted, as a work or as a suspect; a longer one is refused with a clear
    /// error (see <see cref="Matching.FingerprintService"/>).
    /// </summary>
    public double MaxAudioSeconds { get; init; } = DefaultMaxAudioSeconds;

    /// <summary>The log's Ed25519 signing key (mode 0600). Several servers over one database must share it.</summary>
    public string? LogKeyFile { get; init; }

    /// <summary>The log's origin line, used when the key is first created (a schema-less URL naming the log).</summary>
    public string LogOrigin { get; init; } = DefaultLogOrigin;

    public const string DefaultLogOrigin = "localhost/atelier";

    public string LogKeyPath => LogKeyFile ?? Path.Combine(DataDirectory, "log.key");

    /// <summary>The log's public verifier key, written beside the data for `atelier verify` and `atelier log key`.</summary>
    /// <summary>Batching and sequencing of the registration log.</summary>
    public Registration.LogOptions Log { get; init; } = new();

    public string LogPublicKeyPath => Path.Combine(DataDirectory, "log.pub");

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

        var maxAudio = DefaultMaxAudioSeconds;
        if (FirstNonEmpty(Environment.GetEnvironmentVariable("ATELIER_MAX_AUDIO_SECONDS"), null) is { } audioText
            && (!double.TryParse(audioText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out maxAudio)
                || !double.IsFinite(maxAudio) || maxAudio <= 0))
        {
            throw new ArgumentException($"ATELIER_MAX_AUDIO_SECONDS must be a positive number of seconds, not '{audioText}'");
        }

        return new AtelierSettings
        {
            DataDirectory = Path.GetFullPath(data),
            Database = db,
            Blobs = blobs,
            MaxUploadBytes = max ?? DefaultMaxUploadBytes,
            MaxAudioSeconds = maxAudio,
            LogKeyFile = FirstNonEmpty(Environment.GetEnvironmentVariable("ATELIER_LOG_KEY"), null) is { } key ? Path.GetFullPath(key) : null,
            LogOrigin = FirstNonEmpty(Environment.GetEnvironmentVariable("ATELIER_LOG_ORIGIN"), null) ?? DefaultLogOrigin,
        };
    }

    private static string? FirstNonEmpty(string? a, string? b) =>
        !string.IsNullOrWhiteSpace(a) ? a : !string.IsNullOrWhiteSpace(b) ? b : null;

    /// <summary>Never prints connection secrets.</summary>
    public override string ToString() =>
        $"data={DataDirectory}, db={(Database is null ? "sqlite" : "postgresql")}, blobs={(Blobs is null ? "filesystem" : "s3")}";
}
