using Atelier.Core;

namespace Atelier.Catalog;

/// <summary>Content hashed into a local staging file, waiting to be checked and stored.</summary>
public sealed class StagedContent : IAsyncDisposable
{
    internal StagedContent(string path, string sha256, long length)
    {
        Path = path;
        Sha256 = sha256;
        Length = length;
    }

    public string Path { get; }
    public string Sha256 { get; }
    public long Length { get; }

    /// <summary>Set once the blob store has taken the file over (it may have moved it).</summary>
    internal bool Consumed { get; set; }

    public ValueTask DisposeAsync()
    {
        if (!Consumed)
        {
            try
            {
                File.Delete(Path);
            }
            catch (IOException)
            {
                // Leftovers are swept by gc; a failed delete must not hide the import's own outcome.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The staging folder: incoming bytes are streamed to disk with the SHA-256 taken on the way, so
/// nothing is ever held whole in memory and the content key is known before anything is stored.
/// Files are named by random GUIDs; a crash leaves only files that <see cref="CleanAsync"/> removes.
/// </summary>
public sealed class Staging(string directory)
{
    public string Directory { get; } = directory;

    public async Task<StagedContent> StageAsync(Stream content, long maxBytes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        System.IO.Directory.CreateDirectory(Directory);
        var path = System.IO.Path.Combine(Directory, Guid.NewGuid().ToString("N") + ".part");
        var ok = false;
        try
        {
            BlobInfo info;
            var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            });
            await using (file.ConfigureAwait(false))
            {
                info = await ContentHash.CopyAsync(content, file, maxBytes, ct).ConfigureAwait(false);

                // Durable before anything refers to it: the blob store may rename this file into place.
                file.Flush(flushToDisk: true);
            }

            ok = true;
            return new StagedContent(path, info.Sha256, info.Length);
        }
        finally
        {
            if (!ok)
            {
                TryDelete(path);
            }
        }
    }

    /// <summary>Removes staging files older than the cutoff (leftovers of interrupted imports).</summary>
    public Task<int> CleanAsync(DateTimeOffset olderThan)
    {
        var removed = 0;
        if (!System.IO.Directory.Exists(Directory))
        {
            return Task.FromResult(0);
        }

        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles("*.part"))
        {
            if (file.LastWriteTimeUtc < olderThan.UtcDateTime && TryDelete(file.FullName))
            {
                removed++;
            }
        }

        return Task.FromResult(removed);
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
