using System.Security.Cryptography;
using Atelier.Core;

namespace Atelier.Storage.Blobs.Tests;

/// <summary>
/// What every <see cref="IBlobStore"/> and <see cref="IObjectStore"/> provider must do. Each provider
/// has one subclass that supplies its store; every test here runs against each of them.
/// </summary>
public abstract class BlobStoreConformance
{
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private IBlobStore? _store;

    /// <summary>The store under test, opened on first use.</summary>
    protected IBlobStore Store => _store ??= OpenStore();

    protected IObjectStore Objects => (IObjectStore)Store;

    /// <summary>The local folder where the store stages writes.</summary>
    protected abstract string StagingDirectory { get; }

    /// <summary>A folder for files handed to PutFileAsync, as a caller's own staging area would be.</summary>
    protected abstract string CallerDirectory { get; }

    /// <summary>A folder whose files the store must copy (and so hash) rather than move; null when this machine has none.</summary>
    protected abstract string? CopiedSourceDirectory { get; }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens a store of this provider (both interfaces), or calls Assert.Skip when it cannot run here.</summary>
    protected abstract IBlobStore OpenStore();

    protected static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected static string Sha256Of(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    [Fact]
    public async Task PutAsync_content_round_trips_with_its_sha256()
    {
        var content = Bytes(100_000, 1);

        var put = await Store.PutAsync(new MemoryStream(content), 1_000_000, Ct);

        Assert.Equal(Sha256Of(content), put.Sha256);
        Assert.Equal(content.Length, put.Length);
        var info = await Store.GetInfoAsync(put.Sha256, Ct);
        Assert.NotNull(info);
        Assert.Equal(content.Length, info.Length);
        Assert.Equal(content, await ReadAllAsync(put.Sha256));
    }

    [Fact]
    public async Task PutAsync_same_content_twice_is_idempotent()
    {
        var content = Bytes(5_000, 2);

        var first = await Store.PutAsync(new MemoryStream(content), 10_000, Ct);
        var second = await Store.PutAsync(new MemoryStream(content), 10_000, Ct);

        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal(first.Length, second.Length);
        Assert.Single(await Store.ListAsync(Ct).ToListAsync(Ct));
        Assert.Equal(content, await ReadAllAsync(first.Sha256));
        AssertStagingEmpty();
    }

    [Fact]
    public async Task PutAsync_of_stored_content_counts_as_a_fresh_write()
    {
        // Garbage collection spares recently written blobs: a put that finds its content stored must
        // renew that date, or a sweep could remove the blob the caller is about to reference.
        var content = Bytes(1_000, 30);
        var first = await Store.PutAsync(new MemoryStream(content), content.Length, Ct);
        var before = (await Store.GetInfoAsync(first.Sha256, Ct))?.LastModified;
        await Task.Delay(TimeSpan.FromSeconds(1.1), Ct); // S3 dates have whole-second precision

        var again = await Store.PutAsync(new MemoryStream(content), content.Length, Ct);

        var after = (await Store.GetInfoAsync(first.Sha256, Ct))?.LastModified;
        Assert.NotNull(before);
        Assert.True(after > before, $"the second put left the date at {after:O} (first {before:O})");
        Assert.True(again.LastModified is null || again.LastModified == after, "a put reports the date it left, when it reports one");
    }

    [Fact]
    public async Task PutAsync_empty_content_stores_an_empty_blob()
    {
        var put = await Store.PutAsync(new MemoryStream(), 0, Ct);

        Assert.Equal(EmptySha256, put.Sha256);
        Assert.Equal(0, put.Length);
        Assert.Equal(0, (await Store.GetInfoAsync(EmptySha256, Ct))?.Length);
        Assert.Empty(await ReadAllAsync(EmptySha256));
        Assert.Empty(await ReadAllAsync(EmptySha256, 0, 10));
    }

    [Fact]
    public async Task PutAsync_over_max_bytes_throws_and_stores_nothing()
    {
        var content = Bytes(300_000, 3);

        var error = await Assert.ThrowsAsync<BlobTooLargeException>(() => Store.PutAsync(new MemoryStream(content), content.Length - 1, Ct));

        Assert.Equal(content.Length - 1, error.Limit);
        Assert.Null(await Store.GetInfoAsync(Sha256Of(content), Ct));
        Assert.Empty(await Store.ListAsync(Ct).ToListAsync(Ct));
        AssertStagingEmpty();
    }

    [Fact]
    public async Task PutAsync_exactly_max_bytes_is_accepted()
    {
        var content = Bytes(1_000, 4);

        var put = await Store.PutAsync(new MemoryStream(content), content.Length, Ct);

        Assert.Equal(Sha256Of(content), put.Sha256);
    }

    [Fact]
    public async Task PutAsync_source_failing_midway_stores_nothing()
    {
        var content = Bytes(500_000, 5);
        var source = new InterruptedStream(content, 200_000, () => throw new IOException("connection reset by peer"));

        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync(source, 1_000_000, Ct));

        Assert.Empty(await Store.ListAsync(Ct).ToListAsync(Ct));
        AssertStagingEmpty();
    }

    [Fact]
    public async Task PutAsync_cancelled_midway_stores_nothing()
    {
        var content = Bytes(500_000, 6);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var source = new InterruptedStream(content, 200_000, cancel.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.PutAsync(source, 1_000_000, cancel.Token));

        Assert.Empty(await Store.ListAsync(Ct).ToListAsync(Ct));
        AssertStagingEmpty();
    }

    [Fact]
    public async Task PutAsync_same_content_from_8_tasks_stores_one_blob()
    {
        var content = Bytes(1_000_000, 7);

        var store = Store;

        var puts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.PutAsync(new MemoryStream(content), content.Length, Ct), Ct)));

        Assert.All(puts, put => Assert.Equal(Sha256Of(content), put.Sha256));
        Assert.All(puts, put => Assert.Equal(content.Length, put.Length));
        Assert.Single(await Store.ListAsync(Ct).ToListAsync(Ct));
        Assert.Equal(content, await ReadAllAsync(puts[0].Sha256));
        AssertStagingEmpty();
    }

    [Fact]
    public async Task PutAsync_64_MiB_stream_round_trips_in_bounded_memory()
    {
        const long size = 64L * 1024 * 1024;
        var expected = await ContentHash.CopyAsync(new GeneratedStream(size, 42), null, long.MaxValue, Ct);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var put = await Store.PutAsync(new GeneratedStream(size, 42), size, Ct);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(expected, put with { LastModified = null });

        // Buffering the content would allocate at least its size; streaming allocates a few buffers.
        Assert.True(allocated < size / 8, $"the put allocated {allocated} bytes for {size} bytes of content");

        var stream = await Store.OpenReadAsync(put.Sha256, ct: Ct);
        Assert.NotNull(stream);
        await using (stream)
        {
            var readBack = await ContentHash.CopyAsync(stream, null, long.MaxValue, Ct);
            Assert.Equal(expected, readBack);
        }
    }

    [Theory]
    [InlineData(0, null, 0, 1000)]
    [InlineData(10, 20L, 10, 20)]
    [InlineData(0, 5L, 0, 5)]
    [InlineData(990, null, 990, 10)]
    [InlineData(990, 50L, 990, 10)]
    [InlineData(10, 0L, 10, 0)]
    [InlineData(1000, null, 1000, 0)]
    [InlineData(5000, 10L, 1000, 0)]
    public async Task OpenReadAsync_range_returns_the_bytes_inside_the_blob(long offset, long? length, int expectedStart, int expectedCount)
    {
        var content = Bytes(1000, 8);
        var put = await Store.PutAsync(new MemoryStream(content), content.Length, Ct);

        var stream = await Store.OpenReadAsync(put.Sha256, offset, length, Ct);

        Assert.NotNull(stream);
        await using (stream)
        {
            Assert.True(stream.CanRead);
            Assert.False(stream.CanWrite);
            Assert.Equal(expectedCount, stream.Length);
            var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes, Ct);
            Assert.Equal(content.AsSpan(expectedStart, expectedCount).ToArray(), bytes.ToArray());
        }
    }

    [Fact]
    public async Task OpenReadAsync_negative_range_is_rejected()
    {
        var put = await Store.PutAsync(new MemoryStream(Bytes(10, 9)), 10, Ct);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.OpenReadAsync(put.Sha256, -1, null, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.OpenReadAsync(put.Sha256, 0, -1, Ct));
    }

    [Fact]
    public async Task Blob_absent_reads_as_null_and_deletes_as_false()
    {
        var absent = Sha256Of(Bytes(10, 10));

        Assert.Null(await Store.GetInfoAsync(absent, Ct));
        Assert.Null(await Store.OpenReadAsync(absent, 0, null, Ct));
        Assert.Null(await Store.OpenReadAsync(absent, 5, 5, Ct));
        Assert.Null(await Store.OpenReadAsync(EmptySha256, 0, null, Ct));
        Assert.False(await Store.DeleteAsync(absent, Ct));
    }

    [Fact]
    public async Task DeleteAsync_removes_the_blob_and_only_it()
    {
        var kept = await Store.PutAsync(new MemoryStream(Bytes(100, 11)), 100, Ct);
        var doomed = await Store.PutAsync(new MemoryStream(Bytes(100, 12)), 100, Ct);

        Assert.True(await Store.DeleteAsync(doomed.Sha256, Ct));

        Assert.Null(await Store.GetInfoAsync(doomed.Sha256, Ct));
        Assert.Null(await Store.OpenReadAsync(doomed.Sha256, 0, null, Ct));
        Assert.False(await Store.DeleteAsync(doomed.Sha256, Ct));
        Assert.NotNull(await Store.GetInfoAsync(kept.Sha256, Ct));
        Assert.Equal([kept.Sha256], (await Store.ListAsync(Ct).ToListAsync(Ct)).Select(b => b.Sha256));
    }

    [Fact]
    public async Task ListAsync_returns_every_stored_blob_with_its_length()
    {
        var contents = new[] { Bytes(10, 13), Bytes(2000, 14), Bytes(0, 15), Bytes(70_000, 16) };
        foreach (var content in contents)
        {
            await Store.PutAsync(new MemoryStream(content), 100_000, Ct);
        }

        var listed = await Store.ListAsync(Ct).ToListAsync(Ct);

        Assert.Equal(
            contents.Select(c => (Sha256Of(c), (long)c.Length)).Order(),
            listed.Select(b => (b.Sha256, b.Length)).Order());
        Assert.All(listed, b => Assert.NotNull(b.LastModified));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("../../../../../../../../../../../../../../../../../../../etc/passwd")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85/")]
    public async Task Blob_methods_reject_a_key_that_is_not_a_sha256(string sha256)
    {
        var file = Path.Combine(CallerDirectory, "caller.bin");
        await File.WriteAllBytesAsync(file, [1, 2, 3], Ct);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetInfoAsync(sha256, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(sha256, 0, null, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(sha256, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutFileAsync(file, sha256, Ct));
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task PutFileAsync_file_with_its_sha256_is_stored_and_consumed()
    {
        var content = Bytes(50_000, 17);
        var file = Path.Combine(CallerDirectory, "staged.bin");
        await File.WriteAllBytesAsync(file, content, Ct);

        var put = await Store.PutFileAsync(file, Sha256Of(content), Ct);

        Assert.Equal(Sha256Of(content), put.Sha256);
        Assert.Equal(content.Length, put.Length);
        Assert.Equal(content, await ReadAllAsync(put.Sha256));
        Assert.False(File.Exists(file));

        // Again with the same content: idempotent.
        await File.WriteAllBytesAsync(file, content, Ct);
        await Store.PutFileAsync(file, Sha256Of(content), Ct);
        Assert.Single(await Store.ListAsync(Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task PutFileAsync_copied_file_with_its_sha256_is_stored()
    {
        var content = Bytes(50_000, 18);
        var file = Path.Combine(RequireCopiedSourceDirectory(), "staged.bin");
        await File.WriteAllBytesAsync(file, content, Ct);

        var put = await Store.PutFileAsync(file, Sha256Of(content), Ct);

        Assert.Equal(content, await ReadAllAsync(put.Sha256));
        Assert.False(File.Exists(file));
        AssertStagingEmpty();
    }

    [Fact]
    public async Task PutFileAsync_copied_file_with_a_wrong_sha256_is_refused()
    {
        var content = Bytes(50_000, 19);
        var claimed = Sha256Of(Bytes(50_000, 20));
        var file = Path.Combine(RequireCopiedSourceDirectory(), "staged.bin");
        await File.WriteAllBytesAsync(file, content, Ct);

        await Assert.ThrowsAsync<InvalidDataException>(() => Store.PutFileAsync(file, claimed, Ct));

        Assert.Null(await Store.GetInfoAsync(claimed, Ct));
        Assert.Empty(await Store.ListAsync(Ct).ToListAsync(Ct));
        Assert.True(File.Exists(file), "a refused file is left to the caller");
        AssertStagingEmpty();
    }

    [Fact]
    public async Task PutFileAsync_length_differing_from_the_stored_blob_is_refused()
    {
        var stored = Bytes(1_000, 21);
        var put = await Store.PutAsync(new MemoryStream(stored), stored.Length, Ct);
        var file = Path.Combine(CallerDirectory, "staged.bin");
        await File.WriteAllBytesAsync(file, [.. stored, 0], Ct);

        await Assert.ThrowsAsync<InvalidDataException>(() => Store.PutFileAsync(file, put.Sha256, Ct));

        Assert.Equal(stored, await ReadAllAsync(put.Sha256));
        Assert.True(File.Exists(file), "a refused file is left to the caller");
    }

    [Fact]
    public async Task PutFileAsync_missing_file_is_rejected()
    {
        var missing = Path.Combine(CallerDirectory, "never-written.bin");

        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.PutFileAsync(missing, EmptySha256, Ct));
    }

    [Fact]
    public async Task CleanStagingAsync_removes_stale_leftovers_only()
    {
        var blob = await Store.PutAsync(new MemoryStream(Bytes(100, 22)), 100, Ct);
        var stale = Path.Combine(StagingDirectory, "interrupted-put.tmp");
        var fresh = Path.Combine(StagingDirectory, "put-in-progress.tmp");
        await File.WriteAllBytesAsync(stale, Bytes(100, 23), Ct);
        await File.WriteAllBytesAsync(fresh, Bytes(100, 24), Ct);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-2));

        var removed = await Store.CleanStagingAsync(DateTimeOffset.UtcNow.AddHours(-1), Ct);

        Assert.Equal(1, removed);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
        Assert.NotNull(await Store.GetInfoAsync(blob.Sha256, Ct));
    }

    [Fact]
    public async Task PutObjectAsync_round_trips_and_overwrites()
    {
        var first = Bytes(3_000, 25);
        var second = Bytes(10, 26);

        await Objects.PutObjectAsync("tile/0/x001/234", first, Ct);
        Assert.Equal(first, await Objects.GetObjectAsync("tile/0/x001/234", Ct));

        await Objects.PutObjectAsync("tile/0/x001/234", second, Ct);
        Assert.Equal(second, await Objects.GetObjectAsync("tile/0/x001/234", Ct));

        await Objects.PutObjectAsync("empty", ReadOnlyMemory<byte>.Empty, Ct);
        Assert.Equal(Array.Empty<byte>(), await Objects.GetObjectAsync("empty", Ct));
    }

    [Fact]
    public async Task DeleteObjectAsync_removes_the_object_and_reports_absence()
    {
        await Objects.PutObjectAsync("reports/2025.json", Bytes(10, 27), Ct);

        Assert.True(await Objects.DeleteObjectAsync("reports/2025.json", Ct));

        Assert.Null(await Objects.GetObjectAsync("reports/2025.json", Ct));
        Assert.False(await Objects.DeleteObjectAsync("reports/2025.json", Ct));
        Assert.Null(await Objects.GetObjectAsync("never/written", Ct));
        Assert.Null(await Objects.GetObjectAsync("reports", Ct));
    }

    [Fact]
    public async Task ListObjectsAsync_returns_the_keys_under_a_prefix()
    {
        string[] keys = ["tile/0/x001/234", "tile/0/x001/235", "tile/0/x002/001", "tile/1/000", "checkpoint", ".hidden-name"];
        foreach (var key in keys)
        {
            await Objects.PutObjectAsync(key, Bytes(4, 28), Ct);
        }

        Assert.Equal(keys.Order(StringComparer.Ordinal), await ListKeys(""));
        Assert.Equal(["tile/0/x001/234", "tile/0/x001/235", "tile/0/x002/001"], await ListKeys("tile/0/"));
        Assert.Equal(["tile/0/x001/234", "tile/0/x001/235"], await ListKeys("tile/0/x001"));
        Assert.Equal(["tile/0/x001/234", "tile/0/x001/235", "tile/0/x002/001"], await ListKeys("tile/0/x00"));
        Assert.Equal(["checkpoint"], await ListKeys("check"));
        Assert.Empty(await ListKeys("nothing/"));

        // Blobs are not objects.
        await Store.PutAsync(new MemoryStream(Bytes(4, 29)), 4, Ct);
        Assert.Equal(keys.Length, (await ListKeys("")).Count);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("/abs")]
    [InlineData("a//b")]
    [InlineData("a\0b")]
    [InlineData("a\\b")]
    [InlineData("..\\..\\x")]
    [InlineData("a/../../b")]
    [InlineData("./a")]
    [InlineData("a/")]
    [InlineData("")]
    [InlineData("C:/x")]
    [InlineData("a b")]
    public async Task Object_methods_reject_a_hostile_key(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Objects.PutObjectAsync(key, new byte[] { 1 }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Objects.GetObjectAsync(key, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Objects.DeleteObjectAsync(key, Ct));
        Assert.Empty(await ListKeys(""));
    }

    [Theory]
    [InlineData("../")]
    [InlineData("/")]
    [InlineData("a//")]
    [InlineData("a\\")]
    public async Task ListObjectsAsync_rejects_a_hostile_prefix(string prefix)
        => await Assert.ThrowsAsync<ArgumentException>(async () => await Objects.ListObjectsAsync(prefix, Ct).ToListAsync(Ct));

    /// <summary>Where the tests write a file the store must copy; skips the test when there is none.</summary>
    private string RequireCopiedSourceDirectory()
    {
        if (CopiedSourceDirectory is null)
        {
            Assert.Skip("no second volume here (such as /dev/shm) to test the copying path of PutFileAsync");
        }

        return CopiedSourceDirectory;
    }

    private void AssertStagingEmpty()
        => Assert.Empty(Directory.Exists(StagingDirectory) ? Directory.EnumerateFileSystemEntries(StagingDirectory) : []);

    private async Task<byte[]> ReadAllAsync(string sha256, long offset = 0, long? length = null)
    {
        var stream = await Store.OpenReadAsync(sha256, offset, length, Ct);
        Assert.NotNull(stream);
        await using (stream)
        {
            var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes, Ct);
            return bytes.ToArray();
        }
    }

    private async Task<List<string>> ListKeys(string prefix) => [.. (await Objects.ListObjectsAsync(prefix, Ct).ToListAsync(Ct)).Order(StringComparer.Ordinal)];
}
