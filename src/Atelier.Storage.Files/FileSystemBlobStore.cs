using System.Runtime.CompilerServices;
using Atelier.Core;

namespace Atelier.Storage.Files;

/// <summary>
/// Blobs and keyed objects in a local folder, the default store on one machine.
/// <list type="bullet">
/// <item>Blobs live at <c>&lt;root&gt;/sha256/ab/cd/&lt;64 hex&gt;</c>; the two fan-out levels keep every folder small.</item>
/// <item>Objects live at <c>&lt;root&gt;/objects/&lt;key&gt;</c>.</item>
/// <item>Writes go to <c>&lt;root&gt;/.staging</c> (same volume, so the final rename is atomic), are flushed to disk, then renamed into place.</item>
/// </list>
/// Object keys map onto folders, so unlike on S3 a key cannot be both an object and the folder of
/// longer keys (<c>a</c> and <c>a/b</c>); putting the second one fails with an <see cref="IOException"/>.
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore, IObjectStore
{
    private const string StagingSuffix = ".tmp";

    // On Unix a leading dot means Hidden, which enumeration skips by default; object keys may start with one.
    private static readonly EnumerationOptions AllEntries = new() { AttributesToSkip = 0, IgnoreInaccessible = true };
    private static readonly EnumerationOptions AllEntriesRecursive = new() { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = true };

    private readonly string _blobRoot;
    private readonly string _objectRoot;

    /// <summary>Opens (creating when needed) the store in <paramref name="rootDirectory"/>.</summary>
    public FileSystemBlobStore(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        RootDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        _blobRoot = Path.Combine(RootDirectory, "sha256");
        _objectRoot = Path.Combine(RootDirectory, "objects");
        StagingDirectory = Path.Combine(RootDirectory, ".staging");
        Directory.CreateDirectory(_blobRoot);
        Directory.CreateDirectory(_objectRoot);
        Directory.CreateDirectory(StagingDirectory);
    }

    /// <summary>The canonical root folder.</summary>
    public string RootDirectory { get; }

    /// <summary>
    /// The staging folder. A file staged here is on the store's volume, so
    /// <see cref="PutFileAsync"/> moves it into place without copying.
    /// </summary>
    public string StagingDirectory { get; }

    /// <inheritdoc />
    public async Task<BlobInfo> PutAsync(Stream content, long maxBytes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);

        var staging = NewStagingPath();
        try
        {
            var staged = await StageAsync(content, staging, maxBytes, ct).ConfigureAwait(false);
            return PlaceVerified(staging, staged);
        }
        finally
        {
            TryDeleteFile(staging);
        }
    }

    /// <summary>
    /// Stores a file the caller has already hashed. On success the file is gone: a file on the
    /// store's volume is moved into place (trusting <paramref name="sha256"/>, as the move reads
    /// nothing); any other file is copied while hashing, refused when the hash differs, then deleted.
    /// On failure the file is left where it was.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The file's length differs from a blob already stored under <paramref name="sha256"/>, or the
    /// copied bytes do not hash to it.
    /// </exception>
    public async Task<BlobInfo> PutFileAsync(string localPath, string sha256, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        Sha256Hex.Validate(sha256);
        var source = Path.GetFullPath(localPath);
        if (IsUnder(source, _blobRoot) || IsUnder(source, _objectRoot))
        {
            // Storing a stored file would delete it once it is found to be present.
            throw new ArgumentException($"{source} is inside the store; pass a staged copy", nameof(localPath));
        }

        var sourceInfo = new FileInfo(source);
        if (!sourceInfo.Exists)
        {
            throw new FileNotFoundException("the file to store does not exist", source);
        }

        var final = BlobPath(sha256);
        if (TryGetInfo(sha256) is { } existing)
        {
            return AcceptExisting(existing, source, sourceInfo.Length);
        }

        switch (TryMoveIntoPlace(source, final))
        {
            case MoveResult.Placed:
                return TryGetInfo(sha256) ?? throw new IOException($"blob {sha256} vanished right after it was stored");
            case MoveResult.Exists:
                return AcceptExisting(TryGetInfo(sha256) ?? throw new IOException($"blob {sha256} vanished during the put"), source, sourceInfo.Length);
        }

        // Another volume, or a file system without hard links: copy through staging and check the hash.
        var staging = NewStagingPath();
        try
        {
            BlobInfo copied;
            var input = OpenRead(source);
            await using (input.ConfigureAwait(false))
            {
                copied = await StageAsync(input, staging, long.MaxValue, ct).ConfigureAwait(false);
            }

            if (copied.Sha256 != sha256)
            {
                throw new InvalidDataException($"{source} hashes to {copied.Sha256}, not the {sha256} given for it: nothing was stored");
            }

            var placed = PlaceVerified(staging, copied);
            TryDeleteFile(source);
            return placed;
        }
        finally
        {
            TryDeleteFile(staging);
        }
    }

    /// <inheritdoc />
    public Task<BlobInfo?> GetInfoAsync(string sha256, CancellationToken ct = default)
    {
        Sha256Hex.Validate(sha256);
        return Task.FromResult(TryGetInfo(sha256));
    }

    /// <summary>
    /// Opens the blob for reading. The stream is seekable; its Position and Length are relative to
    /// <paramref name="offset"/>, and it ends at <paramref name="length"/> bytes or at the blob's end,
    /// whichever comes first (an offset past the end gives an empty stream).
    /// </summary>
    public Task<Stream?> OpenReadAsync(string sha256, long offset = 0, long? length = null, CancellationToken ct = default)
    {
        Sha256Hex.Validate(sha256);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is { } requested)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(requested, nameof(length));
        }

        FileStream file;
        try
        {
            file = OpenRead(BlobPath(sha256));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }

        if (offset == 0 && length is null)
        {
            return Task.FromResult<Stream?>(file);
        }

        var available = Math.Max(0, file.Length - offset);
        return Task.FromResult<Stream?>(new BoundedReadStream(file, offset, Math.Min(length ?? long.MaxValue, available)));
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string sha256, CancellationToken ct = default)
    {
        Sha256Hex.Validate(sha256);
        var path = BlobPath(sha256);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        DeleteFile(path);
        return Task.FromResult(true);
    }

    /// <summary>Every blob under the fan-out folders; stray names and the staging folder are ignored.</summary>
    public async IAsyncEnumerable<BlobInfo> ListAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var first in SafeEnumerate(() => new DirectoryInfo(_blobRoot).EnumerateDirectories("*", AllEntries)))
        {
            if (!IsHexPair(first.Name))
            {
                continue;
            }

            foreach (var second in SafeEnumerate(() => first.EnumerateDirectories("*", AllEntries)))
            {
                if (!IsHexPair(second.Name))
                {
                    continue;
                }

                var expectedStart = first.Name + second.Name;
                foreach (var file in SafeEnumerate(() => second.EnumerateFiles("*", AllEntries)))
                {
                    ct.ThrowIfCancellationRequested();
                    if (!Sha256Hex.IsValid(file.Name) || !file.Name.StartsWith(expectedStart, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    BlobInfo info;
                    try
                    {
                        info = new BlobInfo(file.Name, file.Length, new DateTimeOffset(file.LastWriteTimeUtc));
                    }
                    catch (FileNotFoundException)
                    {
                        continue; // deleted while we listed
                    }

                    yield return info;
                }

                // Keep a long listing from holding the caller's thread.
                await Task.Yield();
            }
        }
    }

    /// <summary>Deletes staging files last written before <paramref name="olderThan"/>.</summary>
    public Task<int> CleanStagingAsync(DateTimeOffset olderThan, CancellationToken ct = default)
    {
        var cutoff = olderThan.UtcDateTime;
        var removed = 0;
        foreach (var file in SafeEnumerate(() => new DirectoryInfo(StagingDirectory).EnumerateFiles("*", AllEntries)))
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                if (file.LastWriteTimeUtc < cutoff)
                {
                    DeleteFile(file.FullName);
                    removed++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone already, or still held open on Windows: the next sweep takes it.
            }
        }

        return Task.FromResult(removed);
    }

    /// <inheritdoc />
    public async Task PutObjectAsync(string key, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        var path = ObjectPath(key);
        var staging = NewStagingPath();
        try
        {
            var file = CreateStagingFile(staging);
            await using (file.ConfigureAwait(false))
            {
                await file.WriteAsync(data, ct).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            var directory = Path.GetDirectoryName(path)!;
            EnsureDirectory(directory);
            File.Move(staging, path, overwrite: true);
            NativeMethods.FsyncPath(directory);
        }
        finally
        {
            TryDeleteFile(staging);
        }
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetObjectAsync(string key, CancellationToken ct = default)
    {
        var path = ObjectPath(key);
        try
        {
            return await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            return null; // the key names a folder of longer keys, not an object
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteObjectAsync(string key, CancellationToken ct = default)
    {
        var path = ObjectPath(key);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        DeleteFile(path);
        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListObjectsAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ObjectKeys.ValidatePrefix(prefix);
        var slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? _objectRoot : Path.Combine(_objectRoot, prefix[..slash]);
        var count = 0;
        foreach (var file in SafeEnumerate(() => Directory.EnumerateFiles(start, "*", AllEntriesRecursive)))
        {
            ct.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(_objectRoot, file).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal) && ObjectKeys.IsValid(key))
            {
                yield return key;
            }

            if (++count % 1024 == 0)
            {
                await Task.Yield();
            }
        }
    }

    private static bool IsUnder(string path, string folder)
        => path.StartsWith(folder + Path.DirectorySeparatorChar, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    private static bool IsHexPair(string name) => name.Length == 2 && Sha256Hex.IsValid(name + new string('0', Sha256Hex.Length - 2));

    /// <summary>Enumerates lazily, treating a folder that is missing or vanishes mid-listing as empty.</summary>
    private static IEnumerable<T> SafeEnumerate<T>(Func<IEnumerable<T>> source)
    {
        IEnumerator<T> e;
        try
        {
            e = source().GetEnumerator();
        }
        catch (DirectoryNotFoundException)
        {
            yield break;
        }

        using (e)
        {
            while (true)
            {
                try
                {
                    if (!e.MoveNext())
                    {
                        yield break;
                    }
                }
                catch (DirectoryNotFoundException)
                {
                    yield break;
                }

                yield return e.Current;
            }
        }
    }

    private static FileStream OpenRead(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        // Delete sharing lets a blob be deleted or repaired on Windows while a reader streams it.
        Share = FileShare.Read | FileShare.Delete,
        Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
    });

    private static void DeleteFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            // Blobs are stored read-only, which on Windows also forbids deleting them.
            File.SetAttributes(path, FileAttributes.Normal);
        }

        File.Delete(path);
    }

    private static void TryDeleteFile(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                DeleteFile(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for CleanStagingAsync.
        }
    }

    private BlobInfo AcceptExisting(BlobInfo existing, string source, long sourceLength)
    {
        // Equal hashes imply equal lengths: a mismatch means the caller's hash is wrong for this file.
        if (existing.Length != sourceLength)
        {
            throw new InvalidDataException(
                $"{source} is {sourceLength} bytes but blob {existing.Sha256} is {existing.Length}: the hash does not belong to this file; nothing was stored");
        }

        TryDeleteFile(source);
        return Touch(existing);
    }

    /// <summary>
    /// Puts a file on this volume at its final name without reading it and without ever replacing
    /// an existing blob (the caller's hash is unchecked here, so it must not overwrite good data).
    /// </summary>
    private MoveResult TryMoveIntoPlace(string source, string final)
    {
        var directory = Path.GetDirectoryName(final)!;
        if (NativeMethods.IsPosix)
        {
            // The caller wrote the file but may not have flushed it: do so before it gets its final name.
            NativeMethods.FsyncPath(source);
            EnsureDirectory(directory);
            switch (NativeMethods.TryLink(source, final))
            {
                case 0:
                    File.SetAttributes(final, FileAttributes.ReadOnly);
                    NativeMethods.FsyncPath(directory);
                    TryDeleteFile(source);
                    return MoveResult.Placed;
                case NativeMethods.EEXIST:
                    return MoveResult.Exists;
                default:
                    // EXDEV (another volume), EPERM/EOPNOTSUPP (no hard links, e.g. FAT) and the rest: copy instead.
                    return MoveResult.Copy;
            }
        }

        // Windows: File.Move would silently copy across volumes, so move only within the same drive.
        if (!string.Equals(Path.GetPathRoot(source), Path.GetPathRoot(final), StringComparison.OrdinalIgnoreCase))
        {
            return MoveResult.Copy;
        }

        try
        {
            using (var handle = new FileStream(source, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
            {
                handle.Flush(flushToDisk: true);
            }

            EnsureDirectory(directory);
            File.Move(source, final, overwrite: false);
            File.SetAttributes(final, FileAttributes.ReadOnly);
            return MoveResult.Placed;
        }
        catch (IOException) when (File.Exists(final))
        {
            return MoveResult.Exists;
        }
        catch (UnauthorizedAccessException)
        {
            return MoveResult.Copy;
        }
    }

    /// <summary>Streams into a new staging file while hashing, then flushes it to disk.</summary>
    private async Task<BlobInfo> StageAsync(Stream content, string staging, long maxBytes, CancellationToken ct)
    {
        var file = CreateStagingFile(staging);
        await using (file.ConfigureAwait(false))
        {
            var staged = await ContentHash.CopyAsync(content, file, maxBytes, ct).ConfigureAwait(false);

            // fsync before the rename: otherwise a crash could leave the final name pointing at
            // data that never reached the disk.
            file.Flush(flushToDisk: true);
            return staged;
        }
    }

    /// <summary>Renames a staged file whose hash this store computed itself into its final name.</summary>
    private BlobInfo PlaceVerified(string staging, BlobInfo staged)
    {
        var final = BlobPath(staged.Sha256);
        var existing = TryGetInfo(staged.Sha256);
        if (existing is not null && existing.Length == staged.Length)
        {
            return Touch(existing); // idempotent: the caller discards the staging file
        }

        var directory = Path.GetDirectoryName(final)!;
        EnsureDirectory(directory);
        File.SetAttributes(staging, FileAttributes.ReadOnly);
        if (existing is not null && OperatingSystem.IsWindows())
        {
            File.SetAttributes(final, FileAttributes.Normal);
        }

        try
        {
            // These bytes are verified, so replacing whatever holds the name is safe: it is either the
            // same content from a concurrent put, or (wrong length) a damaged copy this put repairs.
            File.Move(staging, final, overwrite: existing is not null);
        }
        catch (IOException) when (TryGetInfo(staged.Sha256)?.Length == staged.Length)
        {
            // A concurrent put placed the same content first.
        }

        // The rename is durable only once the directory entry is: without this a crash could lose
        // a blob the caller was told is stored. Windows has no directory fsync (NTFS journals names).
        NativeMethods.FsyncPath(directory);
        return TryGetInfo(staged.Sha256) ?? throw new IOException($"blob {staged.Sha256} vanished right after it was stored");
    }

    /// <summary>
    /// Marks a blob that a put found already stored as written now. Garbage collection spares blobs
    /// modified within its grace period, and the caller is about to reference this one.
    /// </summary>
    private BlobInfo Touch(BlobInfo existing)
    {
        var now = DateTime.UtcNow;
        try
        {
            File.SetLastWriteTimeUtc(BlobPath(existing.Sha256), now);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return existing; // not ours to change (another user's store): keep what it says
        }

        return existing with { LastModified = new DateTimeOffset(now) };
    }

    private BlobInfo? TryGetInfo(string sha256)
    {
        var file = new FileInfo(BlobPath(sha256));
        return file.Exists ? new BlobInfo(sha256, file.Length, new DateTimeOffset(file.LastWriteTimeUtc)) : null;
    }

    private string BlobPath(string sha256) => Path.Combine(_blobRoot, sha256[..2], sha256[2..4], sha256);

    private string ObjectPath(string key)
    {
        ObjectKeys.Validate(key);
        var path = Path.GetFullPath(Path.Combine(_objectRoot, key));
        if (!IsUnder(path, _objectRoot))
        {
            throw new ArgumentException($"object key '{key}' resolves outside the store", nameof(key));
        }

        return path;
    }

    private string NewStagingPath() => Path.Combine(StagingDirectory, Guid.NewGuid().ToString("N") + StagingSuffix);

    private FileStream CreateStagingFile(string path)
    {
        // Recreated if someone removed it while the store was open.
        Directory.CreateDirectory(StagingDirectory);
        return new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            // ContentHash writes whole pooled buffers, so a second buffer would only add a copy.
            BufferSize = 0,
        });
    }

    /// <summary>Creates a folder and makes its new entries durable up to the store root.</summary>
    private void EnsureDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        Directory.CreateDirectory(directory);
        for (var parent = Path.GetDirectoryName(directory);
             parent is not null && parent.Length >= RootDirectory.Length;
             parent = Path.GetDirectoryName(parent))
        {
            NativeMethods.FsyncPath(parent);
        }
    }

    private enum MoveResult
    {
        Placed,
        Exists,
        Copy,
    }
}
