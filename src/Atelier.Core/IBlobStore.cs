namespace Atelier.Core;

/// <summary>A stored content blob: its SHA-256 key and length.</summary>
public sealed record BlobInfo(string Sha256, long Length, DateTimeOffset? LastModified = null);

/// <summary>Raised when content exceeds the size limit given to a put; nothing is stored.</summary>
public sealed class BlobTooLargeException(long limit)
    : Exception($"content is larger than the limit of {limit} bytes")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Content-addressed storage: every blob is stored under the lower-case hex SHA-256 of its bytes.
/// Writes are atomic (a reader never sees a partial blob) and idempotent. One implementation per
/// provider (filesystem, S3-compatible); one conformance suite runs against each.
/// </summary>
public interface IBlobStore
{
    /// <summary>
    /// Streams <paramref name="content"/> into the store, hashing it on the way, and returns its key.
    /// Throws <see cref="BlobTooLargeException"/> past <paramref name="maxBytes"/> without storing anything.
    /// </summary>
    Task<BlobInfo> PutAsync(Stream content, long maxBytes, CancellationToken ct = default);

    /// <summary>
    /// Stores a local file whose SHA-256 the caller has already taken while staging it. The store may move
    /// the file instead of copying it; the caller must not use the path afterwards. The store verifies
    /// the length, and implementations that copy verify the hash too.
    /// </summary>
    Task<BlobInfo> PutFileAsync(string localPath, string sha256, CancellationToken ct = default);

    Task<BlobInfo?> GetInfoAsync(string sha256, CancellationToken ct = default);

    /// <summary>
    /// Opens the blob for reading from <paramref name="offset"/> for <paramref name="length"/> bytes
    /// (to the end when null); null when absent.
    /// </summary>
    Task<Stream?> OpenReadAsync(string sha256, long offset = 0, long? length = null, CancellationToken ct = default);

    /// <summary>Deletes the blob. False when it was absent.</summary>
    Task<bool> DeleteAsync(string sha256, CancellationToken ct = default);

    /// <summary>Every stored blob, in no particular order.</summary>
    IAsyncEnumerable<BlobInfo> ListAsync(CancellationToken ct = default);

    /// <summary>
    /// Removes leftovers of interrupted writes (staging files, incomplete multipart uploads) older
    /// than <paramref name="olderThan"/>. Returns how many were removed.
    /// </summary>
    Task<int> CleanStagingAsync(DateTimeOffset olderThan, CancellationToken ct = default);
}

/// <summary>
/// Small keyed objects with slash-separated keys such as <c>tile/0/x001/234</c> (log tiles, reports).
/// Keys are relative, use [A-Za-z0-9._-] segments, and never contain "..". Writes are atomic.
/// </summary>
public interface IObjectStore
{
    Task PutObjectAsync(string key, ReadOnlyMemory<byte> data, CancellationToken ct = default);

    /// <summary>The object's bytes; null when absent.</summary>
    Task<byte[]?> GetObjectAsync(string key, CancellationToken ct = default);

    Task<bool> DeleteObjectAsync(string key, CancellationToken ct = default);

    /// <summary>Keys that start with <paramref name="prefix"/>, in no particular order.</summary>
    IAsyncEnumerable<string> ListObjectsAsync(string prefix, CancellationToken ct = default);
}
