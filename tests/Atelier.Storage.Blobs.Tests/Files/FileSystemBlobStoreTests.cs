using Atelier.Core;
using Atelier.Storage.Files;
using Atelier.Testing;

namespace Atelier.Storage.Blobs.Tests.Files;

/// <summary>The conformance suite on a folder, plus what only the filesystem layout promises.</summary>
public sealed class FileSystemBlobStoreTests : BlobStoreConformance, IDisposable
{
    private readonly TempDirectory _temp = new("atelier-blobs");
    private readonly string? _otherVolume = CreateOnOtherVolume();

    protected override string StagingDirectory => _temp.Combine("store", ".staging");

    protected override string CallerDirectory => Directory.CreateDirectory(_temp.Combine("caller")).FullName;

    protected override string? CopiedSourceDirectory => _otherVolume;

    private string Root => _temp.Combine("store");

    public void Dispose()
    {
        _temp.Dispose();
        if (_otherVolume is not null && Directory.Exists(_otherVolume))
        {
            Directory.Delete(_otherVolume, recursive: true);
        }
    }

    [Fact]
    public async Task PutAsync_places_a_read_only_blob_in_the_fan_out_layout()
    {
        var put = await Store.PutAsync(new MemoryStream(Bytes(100, 1)), 100, Ct);

        var path = Path.Combine(Root, "sha256", put.Sha256[..2], put.Sha256[2..4], put.Sha256);
        Assert.True(File.Exists(path));
        Assert.True(File.GetAttributes(path).HasFlag(FileAttributes.ReadOnly));
    }

    [Fact]
    public async Task Store_reopened_on_the_same_folder_finds_its_blobs_and_objects()
    {
        var put = await Store.PutAsync(new MemoryStream(Bytes(100, 2)), 100, Ct);
        await Objects.PutObjectAsync("log/checkpoint", Bytes(5, 3), Ct);

        var reopened = new FileSystemBlobStore(Root + "/./");

        Assert.Equal(put.Length, (await reopened.GetInfoAsync(put.Sha256, Ct))?.Length);
        Assert.Equal(Bytes(5, 3), await reopened.GetObjectAsync("log/checkpoint", Ct));
        Assert.Equal(Path.GetFullPath(Root), reopened.RootDirectory);
    }

    [Fact]
    public async Task ListAsync_ignores_files_that_are_not_blobs()
    {
        var put = await Store.PutAsync(new MemoryStream(Bytes(100, 4)), 100, Ct);
        var other = Sha256Of(Bytes(1, 5));
        var folder = Path.Combine(Root, "sha256", put.Sha256[..2], put.Sha256[2..4]);
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not a blob", Ct);
        await File.WriteAllTextAsync(Path.Combine(folder, other), "a hash name in the wrong folder", Ct);
        Directory.CreateDirectory(Path.Combine(Root, "sha256", "zz", "zz"));
        await File.WriteAllTextAsync(Path.Combine(Root, "sha256", "zz", "zz", "zzzz" + other[4..]), "bad folder", Ct);
        await File.WriteAllTextAsync(Path.Combine(StagingDirectory, other), "staging", Ct);

        var listed = await Store.ListAsync(Ct).ToListAsync(Ct);

        Assert.Equal([put.Sha256], listed.Select(b => b.Sha256));
    }

    [Fact]
    public async Task PutFileAsync_file_on_the_same_volume_is_moved_not_copied()
    {
        var content = Bytes(1000, 6);
        var file = Path.Combine(((FileSystemBlobStore)Store).StagingDirectory, "caller-staged.tmp");
        await File.WriteAllBytesAsync(file, content, Ct);
        var written = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(file, written);

        var put = await Store.PutFileAsync(file, Sha256Of(content), Ct);

        // A copy would be stamped now; the moved file keeps its own timestamp.
        Assert.Equal(new DateTimeOffset(written), put.LastModified);
        Assert.Equal(content, await ReadBlob(put.Sha256));
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task OpenReadAsync_range_stream_seeks_within_its_range()
    {
        var content = Bytes(1000, 7);
        var put = await Store.PutAsync(new MemoryStream(content), content.Length, Ct);

        var stream = await Store.OpenReadAsync(put.Sha256, 100, 50, Ct);

        Assert.NotNull(stream);
        await using (stream)
        {
            Assert.True(stream.CanSeek);
            stream.Position = 40;
            var tail = new byte[20];
            Assert.Equal(10, await stream.ReadAtLeastAsync(tail, 20, throwOnEndOfStream: false, Ct));
            Assert.Equal(content.AsSpan(140, 10).ToArray(), tail[..10]);
            Assert.Equal(0, stream.Seek(-50, SeekOrigin.End));
            Assert.Equal(content[100], (byte)stream.ReadByte());
            Assert.Throws<IOException>(() => stream.Seek(-1, SeekOrigin.Begin));
        }
    }

    [Fact]
    public async Task PutFileAsync_file_inside_the_store_is_rejected()
    {
        var put = await Store.PutAsync(new MemoryStream(Bytes(100, 8)), 100, Ct);
        var stored = Path.Combine(Root, "sha256", put.Sha256[..2], put.Sha256[2..4], put.Sha256);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutFileAsync(stored, put.Sha256, Ct));

        Assert.True(File.Exists(stored));
    }

    private static string? CreateOnOtherVolume()
    {
        // /dev/shm is a tmpfs mount of its own on Linux, so never the volume of the temp folder.
        const string shm = "/dev/shm";
        if (!Directory.Exists(shm) || Path.GetFullPath(Path.GetTempPath()).StartsWith(shm, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return Directory.CreateDirectory(Path.Combine(shm, $"atelier-test-{Guid.NewGuid():N}")).FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private async Task<byte[]> ReadBlob(string sha256)
    {
        var stream = await Store.OpenReadAsync(sha256, 0, null, Ct) ?? throw new InvalidOperationException("blob missing");
        await using (stream)
        {
            var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes, Ct);
            return bytes.ToArray();
        }
    }

    protected override IBlobStore OpenStore() => new FileSystemBlobStore(Root);
}
