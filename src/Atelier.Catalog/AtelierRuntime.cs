using Atelier.Catalog.Matching;
using Atelier.Catalog.Registration;
using Atelier.Core;
using Atelier.Media;
using Atelier.Storage.Files;
using Atelier.Storage.Postgres;
using Atelier.Storage.S3;
using Atelier.Storage.Sqlite;
using Atelier.Transparency.Notes;

namespace Atelier.Catalog;

/// <summary>
/// Everything one Atelier process needs, opened from <see cref="AtelierSettings"/>: the catalog database
/// (SQLite in the data directory, or PostgreSQL), the blob store (local folder, or S3-compatible) and the
/// services over them. The CLI and the server both start here, so they can never disagree on layout.
/// </summary>
public sealed class AtelierRuntime : IAsyncDisposable
{
    private AtelierRuntime(AtelierSettings settings, ICatalogStore catalog, IBlobStore blobs, MediaOptions media, IMediaInspector inspector, RegistrationLog log, TimeProvider clock)
    {
        Settings = settings;
        Catalog = catalog;
        Blobs = blobs;
        Clock = clock;
        Log = log;
        var staging = new Staging(settings.StagingDirectory);
        var fingerprints = new FingerprintService(media, settings.MaxAudioSeconds);
        Rescan = new Rescan(catalog, clock);
        Import = new ImportService(catalog, blobs, inspector, fingerprints, Indexes, Rescan, staging, log, clock);
        Match = new MatchService(catalog, inspector, fingerprints, Indexes, Rescan, staging);
        Reports = new ScanReportWriter(catalog, blobs, staging, media);
        Works = new WorkService(catalog, blobs, Indexes, clock);
        Keys = new ApiKeyService(catalog, clock);
        Gc = new GarbageCollector(catalog, blobs, staging, clock);
    }

    public AtelierSettings Settings { get; }
    public ICatalogStore Catalog { get; }
    public IBlobStore Blobs { get; }
    public TimeProvider Clock { get; }
    public RegistrationLog Log { get; }
    public MatchIndexes Indexes { get; } = new();
    public MatchService Match { get; }
    public Rescan Rescan { get; }
    public ScanReportWriter Reports { get; }
    public ImportService Import { get; }
    public WorkService Works { get; }
    public ApiKeyService Keys { get; }
    public GarbageCollector Gc { get; }

    /// <summary>True when the data directory already holds an Atelier catalog.</summary>
    public static bool IsInitialised(AtelierSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Database is not null ? Directory.Exists(settings.DataDirectory) : File.Exists(settings.SqlitePath);
    }

    /// <summary>Creates the data directory if needed, opens the stores and applies migrations.</summary>
    public static async Task<AtelierRuntime> OpenAsync(AtelierSettings settings, TimeProvider? clock = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        CreatePrivateDirectory(settings.DataDirectory);
        CreatePrivateDirectory(settings.StagingDirectory);

        ICatalogStore catalog = settings.Database is null
            ? await SqliteCatalogStore.OpenAsync(settings.SqlitePath, ct).ConfigureAwait(false)
            : await PostgresCatalogStore.OpenAsync(settings.Database, ct).ConfigureAwait(false);
        try
        {
            IBlobStore blobs = settings.Blobs is null
                ? new FileSystemBlobStore(settings.BlobDirectory)
                : new S3BlobStore(S3StorageOptions.Parse(settings.Blobs) with { StagingDirectory = settings.StagingDirectory });
            var media = new MediaOptions();
            var inspector = new MediaInspector(media);
            if (blobs is not IObjectStore objects)
            {
                throw new InvalidOperationException("the blob store cannot hold the log's tiles");
            }

            var signer = OpenLogKey(settings);
            var log = new RegistrationLog(catalog, objects, signer.Verifier, signer, settings.Log, clock);
            return new AtelierRuntime(settings, catalog, blobs, media, inspector, log, clock ?? TimeProvider.System);
        }
        catch
        {
            await catalog.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Loads the log's signing key, creating it (mode 0600) on first use, and keeps the public verifier
    /// key beside the data for offline verification.
    /// </summary>
    private static NoteSigner OpenLogKey(AtelierSettings settings)
    {
        if (!File.Exists(settings.LogKeyPath))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(settings.LogKeyPath)!);
            LogKeyFile.Create(settings.LogKeyPath, settings.LogOrigin);
        }

        var signer = LogKeyFile.Load(settings.LogKeyPath);
        if (!File.Exists(settings.LogPublicKeyPath) || File.ReadAllText(settings.LogPublicKeyPath).Trim() != signer.Verifier.KeyString)
        {
            File.WriteAllText(settings.LogPublicKeyPath, signer.Verifier.KeyString + "\n");
        }

        return signer;
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        // The data directory holds the catalog and key hashes: readable by its owner only.
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync().ConfigureAwait(false);
        Indexes.Dispose();
        Rescan.Dispose();
        if (Blobs is IAsyncDisposable disposableBlobs)
        {
            await disposableBlobs.DisposeAsync().ConfigureAwait(false);
        }
        else if (Blobs is IDisposable d)
        {
            d.Dispose();
        }

        await Catalog.DisposeAsync().ConfigureAwait(false);
    }
}
