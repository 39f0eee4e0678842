using Atelier.Core;
using Atelier.Storage.S3;
using Atelier.Testing;

namespace Atelier.Storage.Blobs.Tests.S3;

/// <summary>
/// The conformance suite against the S3-compatible server named by ATELIER_TEST_S3 (.ci/s3.sh starts
/// one). Each test works under its own random prefix and removes what it stored.
/// </summary>
public sealed class S3BlobStoreTests : BlobStoreConformance, IAsyncDisposable
{
    private readonly TempDirectory _temp = new("atelier-s3");
    private readonly string _run = $"test-{Guid.NewGuid():N}";
    private S3BlobStore? _store;

    protected override string StagingDirectory => _temp.Combine("staging");

    protected override string CallerDirectory => Directory.CreateDirectory(_temp.Combine("caller")).FullName;

    // An S3 store always reads (and hashes) the file it uploads.
    protected override string? CopiedSourceDirectory => CallerDirectory;

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await foreach (var blob in _store.ListAsync(CancellationToken.None))
            {
                await _store.DeleteAsync(blob.Sha256, CancellationToken.None);
            }

            await foreach (var key in _store.ListObjectsAsync("", CancellationToken.None))
            {
                await _store.DeleteObjectAsync(key, CancellationToken.None);
            }

            _store.Dispose();
        }

        _temp.Dispose();
    }

    protected override IBlobStore OpenStore()
    {
        var connection = Environment.GetEnvironmentVariable("ATELIER_TEST_S3");
        if (string.IsNullOrWhiteSpace(connection))
        {
            Assert.Skip("ATELIER_TEST_S3 is not set: no S3-compatible server to test against (.ci/run starts one)");
        }

        var options = S3StorageOptions.Parse(connection);
        _store = new S3BlobStore(options with
        {
            Prefix = options.Prefix.Length == 0 ? _run : $"{options.Prefix}/{_run}",
            StagingDirectory = StagingDirectory,
            // The smallest parts S3 allows, so the 64 MiB test uploads 13 parts, the last one short.
            PartSize = S3StorageOptions.MinPartSize,
        });
        return _store;
    }
}
