using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Atelier.Core;

namespace Atelier.Storage.S3;

/// <summary>
/// Blobs and keyed objects on an S3-compatible server: blobs at <c>&lt;prefix&gt;/sha256/ab/&lt;64 hex&gt;</c>,
/// objects at <c>&lt;prefix&gt;/objects/&lt;key&gt;</c>. Content is staged in a local file while it is hashed
/// (the key is unknown until the last byte), then uploaded in one PUT or in parts, so memory stays
/// constant whatever the size. S3 makes each PUT and each completed multipart upload atomic.
/// </summary>
public sealed class S3BlobStore : IBlobStore, IObjectStore, IDisposable
{
    // AWS caps a multipart upload at 10,000 parts; larger blobs get larger parts.
    private const int MaxParts = 10_000;
    private const long MaxSingleCopy = 5L * 1024 * 1024 * 1024;
    private const string ContentType = "application/octet-stream";
    private const string ContentSha256Header = "x-amz-content-sha256";

    // The SHA-256 of no bytes: a key that says its blob is empty.
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static readonly EnumerationOptions AllEntries = new() { AttributesToSkip = 0, IgnoreInaccessible = true };

    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly S3StorageOptions _options;
    private readonly string _blobPrefix;
    private readonly string _objectPrefix;
    private readonly string _staging;
    private readonly ConcurrentDictionary<string, Task> _uploads = new(StringComparer.Ordinal);

    /// <summary>Opens a store with its own client, built by <see cref="CreateClient"/>.</summary>
    public S3BlobStore(S3StorageOptions options)
        : this(CreateClient(Validated(options)), options, ownsClient: true)
    {
    }

    /// <summary>Opens a store over a client the caller owns (and disposes).</summary>
    public S3BlobStore(IAmazonS3 client, S3StorageOptions options)
        : this(client, options, ownsClient: false)
    {
    }

    private S3BlobStore(IAmazonS3 client, S3StorageOptions options, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _ownsClient = ownsClient;
        _options = options;
        var root = options.Prefix.Length == 0 ? "" : options.Prefix + "/";
        _blobPrefix = root + "sha256/";
        _objectPrefix = root + "objects/";
        _staging = Path.GetFullPath(options.StagingDirectory!);
        Directory.CreateDirectory(_staging);
    }

    /// <summary>A client for <paramref name="options"/>, set up to work with self-hosted S3-compatible servers.</summary>
    public static AmazonS3Client CreateClient(S3StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,

            // AWSSDK 4 (like 3.7.400+) by default adds a CRC checksum to every upload, sent as an
            // aws-chunked body with a trailer, and asks for checksums on downloads. s3rver, and MinIO
            // and Ceph releases older than that change, reject such bodies or store the chunk framing
            // as content. Checksums only where an operation requires them keep those servers working;
            // uploads stay integrity-checked because their payload is signed with its SHA-256.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.ServiceUrl is { } url)
        {
            config.ServiceURL = url;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        return options.AccessKey is not null && options.SecretKey is not null
            ? new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config)
            : new AmazonS3Client(config);
    }

    /// <inheritdoc />
    public async Task<BlobInfo> PutAsync(Stream content, long maxBytes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);

        var staging = Path.Combine(_staging, Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            BlobInfo staged;
            var file = CreateStagingFile(staging);
            await using (file.ConfigureAwait(false))
            {
                staged = await ContentHash.CopyAsync(content, file, maxBytes, ct).ConfigureAwait(false);
            }

            return await UploadVerifiedAsync(staging, staged, ct).ConfigureAwait(false);
        }
        finally
        {
            TryDeleteFile(staging);
        }
    }

    /// <summary>
    /// Uploads a file the caller has already hashed, after checking the hash (the upload reads the
    /// file anyway, so one more, usually cached, read keeps a wrong hash from naming wrong content).
    /// On success the file is deleted; on failure it is left where it was.
    /// </summary>
    /// <exception cref="InvalidDataException">The file does not hash to <paramref name="sha256"/>.</exception>
    public async Task<BlobInfo> PutFileAsync(string localPath, string sha256, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        Sha256Hex.Validate(sha256);
        var source = Path.GetFullPath(localPath);
        if (!File.Exists(source))
        {
            throw new FileNotFoundException("the file to store does not exist", source);
        }

        BlobInfo actual;
        var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (input.ConfigureAwait(false))
        {
            actual = await ContentHash.CopyAsync(input, null, long.MaxValue, ct).ConfigureAwait(false);
        }

        if (actual.Sha256 != sha256)
        {
            throw new InvalidDataException($"{source} hashes to {actual.Sha256}, not the {sha256} given for it: nothing was stored");
        }

        var stored = await UploadVerifiedAsync(source, actual, ct).ConfigureAwait(false);
        TryDeleteFile(source);
        return stored;
    }

    /// <inheritdoc />
    public Task<BlobInfo?> GetInfoAsync(string sha256, CancellationToken ct = default)
    {
        Sha256Hex.Validate(sha256);
        return HeadAsync(sha256, ct);
    }

    /// <summary>
    /// Opens the blob with a ranged GET. The stream is forward-only; its Length is the number of
    /// bytes it holds: <paramref name="length"/> or up to the blob's end, whichever is shorter (an
    /// offset past the end gives an empty stream).
    /// </summary>
    public async Task<Stream?> OpenReadAsync(string sha256, long offset = 0, long? length = null, CancellationToken ct = default)
    {
        Sha256Hex.Validate(sha256);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is { } requested)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(requested, nameof(length));
        }

        // No GET when no bytes can come back. This also spares servers that answer a range on an
        // empty object with a wrong length (s3rver).
        if (sha256 == EmptySha256 || length == 0)
        {
            return await HeadAsync(sha256, ct).ConfigureAwait(false) is null ? null : new MemoryStream([], writable: false);
        }

        var request = new GetObjectRequest { BucketName = _options.Bucket, Key = BlobKey(sha256) };
        if (length is { } n)
        {
            // The range end is inclusive; servers clamp it to the object's last byte.
            request.ByteRange = new ByteRange(offset, offset > long.MaxValue - n ? long.MaxValue : offset + n - 1);
        }
        else if (offset > 0)
        {
            request.ByteRange = new ByteRange($"bytes={offset}-");
        }

        try
        {
            var response = await _client.GetObjectAsync(request, ct).ConfigureAwait(false);
            return new S3ReadStream(response);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return new MemoryStream([], writable: false); // the blob exists; the offset is past its end
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string sha256, CancellationToken ct = default)
    {
        Sha256Hex.Validate(sha256);

        // S3 deletes answer the same whether or not the key existed: ask first.
        if (await HeadAsync(sha256, ct).ConfigureAwait(false) is null)
        {
            return false;
        }

        await _client.DeleteObjectAsync(_options.Bucket, BlobKey(sha256), ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Every blob under the prefix; keys that do not fit the layout are ignored.</summary>
    public async IAsyncEnumerable<BlobInfo> ListAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var entry in ListKeysAsync(_blobPrefix, ct).ConfigureAwait(false))
        {
            // "<prefix>/sha256/" + "ab/" + 64 hex, where ab repeats the hash's first two characters.
            var rest = entry.Key.AsSpan(_blobPrefix.Length);
            if (rest.Length == 3 + Sha256Hex.Length && rest[2] == '/' && rest[..2].SequenceEqual(rest.Slice(3, 2)))
            {
                var sha256 = rest[3..].ToString();
                if (Sha256Hex.IsValid(sha256))
                {
                    yield return new BlobInfo(sha256, entry.Size ?? 0, ToOffset(entry.LastModified));
                }
            }
        }
    }

    /// <summary>
    /// Aborts multipart uploads under the prefix started before <paramref name="olderThan"/> (on
    /// servers that can list them; s3rver cannot) and deletes older local staging files.
    /// </summary>
    public async Task<int> CleanStagingAsync(DateTimeOffset olderThan, CancellationToken ct = default)
    {
        var removed = await AbortStaleUploadsAsync(olderThan, ct).ConfigureAwait(false);
        var cutoff = olderThan.UtcDateTime;
        foreach (var file in new DirectoryInfo(_staging).EnumerateFiles("*", AllEntries))
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                if (file.LastWriteTimeUtc < cutoff)
                {
                    file.Delete();
                    removed++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone already, or held open on Windows: the next sweep takes it.
            }
        }

        return removed;
    }

    /// <inheritdoc />
    public async Task PutObjectAsync(string key, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        var s3Key = ObjectKey(key);
        using var body = MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
        var request = NewPutRequest(s3Key);
        request.InputStream = body;
        request.AutoCloseStream = false;
        await _client.PutObjectAsync(request, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetObjectAsync(string key, CancellationToken ct = default)
    {
        var s3Key = ObjectKey(key);
        try
        {
            using var response = await _client.GetObjectAsync(_options.Bucket, s3Key, ct).ConfigureAwait(false);
            if (response.ContentLength > Array.MaxLength)
            {
                throw new InvalidDataException($"object '{key}' is {response.ContentLength} bytes, too large to return as an array");
            }

            var bytes = new byte[response.ContentLength];
            await response.ResponseStream.ReadExactlyAsync(bytes, ct).ConfigureAwait(false);
            return bytes;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteObjectAsync(string key, CancellationToken ct = default)
    {
        var s3Key = ObjectKey(key);
        if (await TryHeadAsync(s3Key, ct).ConfigureAwait(false) is null)
        {
            return false;
        }

        await _client.DeleteObjectAsync(_options.Bucket, s3Key, ct).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListObjectsAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ObjectKeys.ValidatePrefix(prefix);
        await foreach (var entry in ListKeysAsync(_objectPrefix + prefix, ct).ConfigureAwait(false))
        {
            var key = entry.Key[_objectPrefix.Length..];
            if (ObjectKeys.IsValid(key))
            {
                yield return key;
            }
        }
    }

    /// <summary>Disposes the client when this store created it.</summary>
    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private static S3StorageOptions Validated(S3StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    private static DateTimeOffset? ToOffset(DateTime? time) => time is { } t ? new DateTimeOffset(t).ToUniversalTime() : null;

    private static FileStream CreateStagingFile(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.CreateNew,
        Access = FileAccess.Write,
        Share = FileShare.None,
        Options = FileOptions.Asynchronous,
        BufferSize = 0,
    });

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for CleanStagingAsync.
        }
    }

    private PutObjectRequest NewPutRequest(string key) => new()
    {
        BucketName = _options.Bucket,
        Key = key,
        ContentType = ContentType,
        // A plain body: aws-chunked framing is unknown to several S3-compatible servers.
        UseChunkEncoding = false,
    };

    private string BlobKey(string sha256) => $"{_blobPrefix}{sha256[..2]}/{sha256}";

    private string ObjectKey(string key)
    {
        ObjectKeys.Validate(key);
        return _objectPrefix + key;
    }

    private async Task<BlobInfo?> HeadAsync(string sha256, CancellationToken ct)
        => await TryHeadAsync(BlobKey(sha256), ct).ConfigureAwait(false) is { } head
            ? new BlobInfo(sha256, head.ContentLength, ToOffset(head.LastModified))
            : null;

    private async Task<GetObjectMetadataResponse?> TryHeadAsync(string key, CancellationToken ct)
    {
        try
        {
            return await _client.GetObjectMetadataAsync(_options.Bucket, key, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Uploads a local file whose hash this store has checked, unless it is stored already.</summary>
    private async Task<BlobInfo> UploadVerifiedAsync(string path, BlobInfo content, CancellationToken ct)
    {
        while (true)
        {
            var existing = await HeadAsync(content.Sha256, ct).ConfigureAwait(false);
            if (existing is not null && existing.Length == content.Length
                && await TryTouchAsync(existing, ct).ConfigureAwait(false) is { } touched)
            {
                return touched;
            }

            // One upload per blob at a time from this store: a concurrent put of the same content
            // waits for it and then finds the blob, instead of sending the same bytes again.
            var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var inFlight = _uploads.GetOrAdd(content.Sha256, mine.Task);
            if (inFlight != mine.Task)
            {
                await inFlight.WaitAsync(ct).ConfigureAwait(false);
                continue; // it may have failed: look again
            }

            try
            {
                await UploadAsync(path, content, ct).ConfigureAwait(false);
                return content;
            }
            finally
            {
                _uploads.TryRemove(new KeyValuePair<string, Task>(content.Sha256, mine.Task));
                mine.SetResult();
            }
        }
    }

    /// <summary>
    /// Marks a blob that a put found already stored as written now. Garbage collection spares blobs
    /// modified within its grace period, and the caller is about to reference this one. S3 has no
    /// "touch": a copy onto itself with replaced metadata does it, server-side, up to the 5 GiB
    /// limit of a single copy (larger blobs keep their date). Null when the server could not copy
    /// (s3rver cannot parse the SDK's encoded copy source) or the blob vanished meanwhile: the
    /// caller then uploads the bytes again.
    /// </summary>
    private async Task<BlobInfo?> TryTouchAsync(BlobInfo existing, CancellationToken ct)
    {
        if (existing.Length > MaxSingleCopy)
        {
            return existing;
        }

        var key = BlobKey(existing.Sha256);
        try
        {
            await _client.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = _options.Bucket,
                SourceKey = key,
                DestinationBucket = _options.Bucket,
                DestinationKey = key,
                MetadataDirective = S3MetadataDirective.REPLACE,
                ContentType = ContentType,
            }, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.NotImplemented)
        {
            return null;
        }

        return await HeadAsync(existing.Sha256, ct).ConfigureAwait(false);
    }

    /// <summary>Uploads a blob: absent, or (wrong length) a damaged copy that these verified bytes replace.</summary>
    private async Task UploadAsync(string path, BlobInfo content, CancellationToken ct)
    {
        var key = BlobKey(content.Sha256);
        if (content.Length <= _options.PartSize)
        {
            var request = NewPutRequest(key);
            request.FilePath = path;

            // The body's SHA-256 is the blob's key: sign with it rather than let the SDK read the file
            // again to compute it. AWS, MinIO and Ceph refuse a body that does not match it.
            request.Headers[ContentSha256Header] = content.Sha256;
            await _client.PutObjectAsync(request, ct).ConfigureAwait(false);
        }
        else
        {
            await UploadPartsAsync(key, path, content.Length, ct).ConfigureAwait(false);
        }
    }

    private async Task UploadPartsAsync(string key, string path, long length, CancellationToken ct)
    {
        var partSize = Math.Max(_options.PartSize, (length + MaxParts - 1) / MaxParts);
        var partCount = (int)((length + partSize - 1) / partSize);
        var upload = await _client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = _options.Bucket, Key = key, ContentType = ContentType }, ct).ConfigureAwait(false);
        try
        {
            var parts = new PartETag[partCount];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.UploadConcurrency, CancellationToken = ct };
            await Parallel.ForEachAsync(Enumerable.Range(1, partCount), parallel, async (number, token) =>
            {
                var position = (number - 1) * partSize;

                // The SDK reads each part straight from the file (once to sign it, once to send it).
                var response = await _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _options.Bucket,
                    Key = key,
                    UploadId = upload.UploadId,
                    PartNumber = number,
                    FilePath = path,
                    FilePosition = position,
                    PartSize = Math.Min(partSize, length - position),
                    UseChunkEncoding = false,
                }, token).ConfigureAwait(false);
                parts[number - 1] = new PartETag(number, response.ETag);
            }).ConfigureAwait(false);

            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _options.Bucket,
                Key = key,
                UploadId = upload.UploadId,
                PartETags = [.. parts],
            }, ct).ConfigureAwait(false);
        }
        catch
        {
            await TryAbortAsync(key, upload.UploadId).ConfigureAwait(false);
            throw;
        }
    }

    private async Task TryAbortAsync(string key, string uploadId)
    {
        try
        {
            // Not the caller's token: a cancelled put must still release the parts it stored.
            await _client.AbortMultipartUploadAsync(_options.Bucket, key, uploadId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AmazonServiceException)
        {
            // Some servers cannot abort (s3rver); on the others CleanStagingAsync retries later.
        }
    }

    private async Task<int> AbortStaleUploadsAsync(DateTimeOffset olderThan, CancellationToken ct)
    {
        var aborted = 0;
        var request = new ListMultipartUploadsRequest { BucketName = _options.Bucket, Prefix = _blobPrefix };
        while (true)
        {
            ListMultipartUploadsResponse response;
            try
            {
                response = await _client.ListMultipartUploadsAsync(request, ct).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotImplemented)
            {
                return aborted; // the server keeps no listable uploads (s3rver)
            }

            foreach (var upload in response.MultipartUploads ?? [])
            {
                if (ToOffset(upload.Initiated) is { } started && started < olderThan)
                {
                    try
                    {
                        await _client.AbortMultipartUploadAsync(_options.Bucket, upload.Key, upload.UploadId, ct).ConfigureAwait(false);
                        aborted++;
                    }
                    catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
                    {
                        // Completed or aborted meanwhile.
                    }
                }
            }

            if (response.IsTruncated != true)
            {
                return aborted;
            }

            request.KeyMarker = response.NextKeyMarker;
            request.UploadIdMarker = response.NextUploadIdMarker;
        }
    }

    private async IAsyncEnumerable<S3Object> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = prefix };
        while (true)
        {
            var response = await _client.ListObjectsV2Async(request, ct).ConfigureAwait(false);
            foreach (var entry in response.S3Objects ?? [])
            {
                yield return entry;
            }

            if (response.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken))
            {
                yield break;
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
    }
}
