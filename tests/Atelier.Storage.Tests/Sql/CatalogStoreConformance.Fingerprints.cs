using System.Security.Cryptography;
using System.Text;
using Atelier.Core;
using Atelier.Storage.Sql;

namespace Atelier.Storage.Tests.Sql;

/// <summary>Fingerprints stored with their works and read back to rebuild match indexes (<see cref="IFingerprintStore"/>).</summary>
public abstract partial class CatalogStoreConformance
{
    private const string ImageV1 = "image/v1";

    private static FingerprintRecord Fingerprint(string algorithm, string text) => new(algorithm, Encoding.UTF8.GetBytes(text));

    private static void AssertSameFingerprints(IEnumerable<FingerprintRecord> expected, IEnumerable<FingerprintRecord> actual)
    {
        Assert.Equal(expected.Select(f => f.Algorithm), actual.Select(f => f.Algorithm));
        // Span comparison: xunit's element-by-element collection comparison takes seconds on 16 MiB.
        foreach (var (e, a) in expected.Zip(actual))
        {
            Assert.True(e.Data.AsSpan().SequenceEqual(a.Data), $"the '{e.Algorithm}' fingerprint came back with other bytes");
        }
    }

    private async Task<List<WorkFingerprint>> ListFingerprintsAsync(ICatalogStore store, string algorithm, int? pageRows = null)
    {
        if (pageRows is { } rows)
        {
            ((SqlCatalogStore)store).FingerprintPageRows = rows;
        }

        return await store.ListFingerprintsAsync(algorithm, Ct).ToListAsync(Ct);
    }

    [Fact]
    public async Task AddWorkAsync_withFingerprints_storesThemInTheOrderGiven()
    {
        var store = await OpenStoreAsync();
        var work = NewWork("指纹 fingerprinted");
        FingerprintRecord[] fingerprints =
        [
            new("text/winnow-k5.w4", [0x00, 0xff, 0x00]),
            new(ImageV1, RandomNumberGenerator.GetBytes(32)),
            new("audio/landmarks_2-0", RandomNumberGenerator.GetBytes(SqlCatalogStore.MaxFingerprintLength)),
            new(new string('a', SqlCatalogStore.MaxFingerprintAlgorithmLength), [1]),
        ];

        var result = await store.AddWorkAsync(work, "owner", ct: Ct, fingerprints: fingerprints);

        Assert.True(result.Added);
        AssertSameFingerprints(fingerprints, await store.GetFingerprintsAsync(work.Id, Ct));
        var listed = Assert.Single(await ListFingerprintsAsync(store, ImageV1));
        Assert.Equal((work.Id, ImageV1), (listed.WorkId, listed.Algorithm));
        Assert.Equal(fingerprints[1].Data, listed.Data);
        Assert.Empty(await store.GetFingerprintsAsync(WorkId.New(T0), Ct));
        Assert.Empty(await store.GetFingerprintsAsync("not a work id\0", Ct));
        Assert.Empty(await ListFingerprintsAsync(store, "image/v2"));
    }

    [Fact]
    public async Task AddWorkAsync_sameAlgorithmTwice_failsOnThePrimaryKeyAndStoresNothing()
    {
        var store = await OpenStoreAsync();
        var work = NewWork("twice");
        FingerprintRecord[] fingerprints = [Fingerprint(ImageV1, "first"), Fingerprint("text/v1", "text"), Fingerprint(ImageV1, "again")];

        // Nothing in C# looks for the repeat: the second insert breaks the primary key after the work,
        // its event and two fingerprints were written in the transaction.
        var e = await Assert.ThrowsAsync<ArgumentException>(() => store.AddWorkAsync(work, "owner", Entry("registration"), fingerprints, Ct));

        Assert.Contains($"'{ImageV1}' more than once", e.Message, StringComparison.Ordinal);
        Assert.Null(await store.GetWorkAsync(work.Id, Ct));
        Assert.Empty(await store.GetHistoryAsync(work.Id, Ct));
        Assert.Empty(await store.GetPendingLogEntriesAsync(10, Ct));
        Assert.Empty(await store.GetFingerprintsAsync(work.Id, Ct));
        Assert.Empty(await ListFingerprintsAsync(store, "text/v1"));
        Assert.True((await store.AddWorkAsync(work, "owner", Entry("registration"), fingerprints[..2], Ct)).Added);
        AssertSameFingerprints(fingerprints[..2], await store.GetFingerprintsAsync(work.Id, Ct));
    }

    [Fact]
    public async Task AddWorkAsync_duplicateContent_writesNoFingerprints()
    {
        var store = await OpenStoreAsync();
        var first = NewWork("first");
        await store.AddWorkAsync(first, null, fingerprints: [Fingerprint(ImageV1, "first")], ct: Ct);
        var second = NewWork("second", sha256: first.Sha256);

        var result = await store.AddWorkAsync(second, null, fingerprints: [Fingerprint(ImageV1, "second"), Fingerprint("text/v1", "second")], ct: Ct);

        Assert.Equal(AddWorkResult.Duplicate(first.Id), result);
        Assert.Empty(await store.GetFingerprintsAsync(second.Id, Ct));
        AssertSameFingerprints([Fingerprint(ImageV1, "first")], await store.GetFingerprintsAsync(first.Id, Ct));
        Assert.Empty(await ListFingerprintsAsync(store, "text/v1"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(SqlCatalogStore.FingerprintPageSize)]
    public async Task ListFingerprintsAsync_pagedScan_listsLiveWorksInWorkIdOrder(int pageRows)
    {
        var store = await OpenStoreAsync();
        // Registered out of id order; ids begin with the registration time.
        var minutes = new[] { 7, 2, 11, 0, 5, 9, 1, 10, 3, 8, 4, 6 };
        var works = new List<Work>();
        foreach (var minute in minutes)
        {
            var work = NewWork($"work {minute}", registeredAt: T0.AddMinutes(minute));
            FingerprintRecord[] fingerprints = minute == 4 ? [Fingerprint("text/v1", "only text")] : [Fingerprint("text/v1", "t"), Fingerprint(ImageV1, $"image {minute}")];
            await store.AddWorkAsync(work, null, fingerprints: fingerprints, ct: Ct);
            works.Add(work);
        }

        var deleted = works.Where(w => w.Title is "work 9" or "work 0").OrderBy(w => w.Title, StringComparer.Ordinal).ToList();
        foreach (var work in deleted)
        {
            Assert.True(await store.DeleteWorkAsync(work.Id, T0.AddHours(1), null, Ct));
        }

        var listed = await ListFingerprintsAsync(store, ImageV1, pageRows);

        var expected = works.Where(w => !deleted.Contains(w) && w.Title != "work 4").OrderBy(w => w.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(9, expected.Count);
        Assert.Equal(expected.Select(w => w.Id), listed.Select(f => f.WorkId));
        Assert.All(listed, f => Assert.Equal(ImageV1, f.Algorithm));
        Assert.Equal(expected.Select(w => Encoding.UTF8.GetBytes("image " + w.Title[5..])), listed.Select(f => f.Data));
        // A deleted work keeps its fingerprints; it is only left out of the scan.
        AssertSameFingerprints([Fingerprint("text/v1", "t"), Fingerprint(ImageV1, "image 0")], await store.GetFingerprintsAsync(deleted[0].Id, Ct));
    }

    [Fact]
    public async Task ListFingerprintsAsync_workAddedDuringScan_isNotBlockedAndIsListedAfterTheOthers()
    {
        var store = await OpenStoreAsync();
        var writer = await OpenStoreAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var work = NewWork($"work {i}", registeredAt: T0.AddMinutes(i));
            await store.AddWorkAsync(work, null, fingerprints: [Fingerprint(ImageV1, work.Id)], ct: Ct);
            ids.Add(work.Id);
        }

        ((SqlCatalogStore)store).FingerprintPageRows = 2;
        var late = NewWork("late", registeredAt: T0.AddDays(1));
        var listed = new List<string>();
        await foreach (var fingerprint in store.ListFingerprintsAsync(ImageV1, Ct))
        {
            if (listed.Count == 0)
            {
                // Another process registers a work while the first page's reader is open.
                Assert.True((await writer.AddWorkAsync(late, null, fingerprints: [Fingerprint(ImageV1, late.Id)], ct: Ct)).Added);
            }

            Assert.Equal(Encoding.UTF8.GetBytes(fingerprint.WorkId), fingerprint.Data);
            listed.Add(fingerprint.WorkId);
        }

        Assert.Equal([.. ids, late.Id], listed);
    }

    [Fact]
    public async Task ListFingerprintsAsync_invalidAlgorithm_throwsBeforeEnumerating()
    {
        var store = await OpenStoreAsync();

        Assert.Throws<ArgumentException>(() => store.ListFingerprintsAsync("Image/V1", Ct));
        Assert.Throws<ArgumentException>(() => store.ListFingerprintsAsync("", Ct));
    }

    [Fact]
    public async Task PutFingerprintAsync_existingOrNewAlgorithm_replacesInPlaceOrAppends()
    {
        var store = await OpenStoreAsync();
        var work = NewWork();
        await store.AddWorkAsync(work, null, fingerprints: [Fingerprint(ImageV1, "old image"), Fingerprint("text/v1", "text")], ct: Ct);
        var other = NewWork(registeredAt: T0.AddMinutes(1));
        await store.AddWorkAsync(other, null, fingerprints: [Fingerprint(ImageV1, "other image")], ct: Ct);

        await store.PutFingerprintAsync(work.Id, Fingerprint(ImageV1, "new image, 新"), Ct);
        await store.PutFingerprintAsync(work.Id, Fingerprint("image/v2", "v2"), Ct);

        AssertSameFingerprints(
            [Fingerprint(ImageV1, "new image, 新"), Fingerprint("text/v1", "text"), Fingerprint("image/v2", "v2")],
            await store.GetFingerprintsAsync(work.Id, Ct));
        AssertSameFingerprints([Fingerprint(ImageV1, "other image")], await store.GetFingerprintsAsync(other.Id, Ct));
        Assert.Equal(
            [Encoding.UTF8.GetBytes("new image, 新"), Encoding.UTF8.GetBytes("other image")],
            (await ListFingerprintsAsync(store, ImageV1)).Select(f => f.Data));
    }

    [Fact]
    public async Task PutFingerprintAsync_workWithoutFingerprintsOrDeleted_storesIt()
    {
        var store = await OpenStoreAsync();
        var work = await AddAsync(store, NewWork());
        var deleted = await AddAsync(store, NewWork(registeredAt: T0.AddMinutes(1)));
        Assert.True(await store.DeleteWorkAsync(deleted.Id, T0.AddHours(1), null, Ct));

        await store.PutFingerprintAsync(work.Id, Fingerprint(ImageV1, "later"), Ct);
        await store.PutFingerprintAsync(deleted.Id, Fingerprint(ImageV1, "deleted"), Ct);

        AssertSameFingerprints([Fingerprint(ImageV1, "later")], await store.GetFingerprintsAsync(work.Id, Ct));
        AssertSameFingerprints([Fingerprint(ImageV1, "deleted")], await store.GetFingerprintsAsync(deleted.Id, Ct));
        Assert.Equal([work.Id], (await ListFingerprintsAsync(store, ImageV1)).Select(f => f.WorkId));
    }

    [Fact]
    public async Task PutFingerprintAsync_unknownWork_throwsArgumentExceptionAndStoresNothing()
    {
        var store = await OpenStoreAsync();
        var unknown = WorkId.New(T0);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => store.PutFingerprintAsync(unknown, Fingerprint(ImageV1, "x"), Ct));

        Assert.Contains($"no work '{unknown}'", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutFingerprintAsync("not-a-work-id", Fingerprint(ImageV1, "x"), Ct));
        Assert.Empty(await store.GetFingerprintsAsync(unknown, Ct));
        Assert.Empty(await ListFingerprintsAsync(store, ImageV1));
    }

    [Fact]
    public async Task Fingerprints_outsideTheLimits_throwArgumentExceptionAndStoreNothing()
    {
        var store = await OpenStoreAsync();
        var existing = await AddAsync(store, NewWork());
        (FingerprintRecord Fingerprint, string Message)[] invalid =
        [
            (new(ImageV1, []), "no bytes"),
            (new(ImageV1, null!), "no bytes"),
            (new(ImageV1, new byte[SqlCatalogStore.MaxFingerprintLength + 1]), "at most 16777216 bytes"),
            (new("", [1]), "needs an algorithm name"),
            (new(null!, [1]), "needs an algorithm name"),
            (new(new string('a', SqlCatalogStore.MaxFingerprintAlgorithmLength + 1), [1]), "at most 64 characters"),
            (new("Image/v1", [1]), "U+0049 at position 0"),
            (new("图像/v1", [1]), "U+56FE at position 0"),
            (new("image v1", [1]), "U+0020 at position 5"),
            (new("image/v1\0", [1]), "U+0000 at position 8"),
            (new("image\\v1", [1]), "U+005C at position 5"),
        ];

        foreach (var (fingerprint, message) in invalid)
        {
            var work = NewWork();
            var onAdd = await Assert.ThrowsAsync<ArgumentException>(() => store.AddWorkAsync(work, null, fingerprints: [Fingerprint("text/v1", "fine"), fingerprint], ct: Ct));
            var onPut = await Assert.ThrowsAsync<ArgumentException>(() => store.PutFingerprintAsync(existing.Id, fingerprint, Ct));

            Assert.Contains(message, onAdd.Message, StringComparison.Ordinal);
            Assert.Contains(message, onPut.Message, StringComparison.Ordinal);
            Assert.Null(await store.GetWorkAsync(work.Id, Ct));
        }

        await Assert.ThrowsAsync<ArgumentNullException>(() => store.AddWorkAsync(NewWork(), null, fingerprints: [null!], ct: Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.PutFingerprintAsync(existing.Id, null!, Ct));
        Assert.Equal(1, (await store.ListWorksAsync(new WorkQuery(), Ct)).Total);
        Assert.Empty(await store.GetFingerprintsAsync(existing.Id, Ct));
    }

    [Fact]
    public async Task Fingerprints_moreThanSixteenPerWork_areRefused()
    {
        var store = await OpenStoreAsync();
        var sixteen = Enumerable.Range(0, SqlCatalogStore.MaxFingerprintsPerWork).Select(i => Fingerprint($"alg/{i}", $"{i}")).ToArray();
        var tooMany = NewWork("too many");

        var e = await Assert.ThrowsAsync<ArgumentException>(() => store.AddWorkAsync(tooMany, null, fingerprints: [.. sixteen, Fingerprint("alg/16", "16")], ct: Ct));

        Assert.Contains("at most 16 fingerprints; 17 were given", e.Message, StringComparison.Ordinal);
        Assert.Null(await store.GetWorkAsync(tooMany.Id, Ct));
        var full = NewWork("full");
        Assert.True((await store.AddWorkAsync(full, null, fingerprints: sixteen, ct: Ct)).Added);
        var full2 = await Assert.ThrowsAsync<InvalidOperationException>(() => store.PutFingerprintAsync(full.Id, Fingerprint("alg/16", "16"), Ct));
        Assert.Contains("already has 16 fingerprints", full2.Message, StringComparison.Ordinal);
        await store.PutFingerprintAsync(full.Id, Fingerprint("alg/3", "replaced"), Ct);
        AssertSameFingerprints([.. sixteen[..3], Fingerprint("alg/3", "replaced"), .. sixteen[4..]], await store.GetFingerprintsAsync(full.Id, Ct));
    }

    [Fact]
    public async Task PutFingerprintAsync_newAlgorithmsFromManyStoresAtOnce_neverExceedTheLimit()
    {
        var stores = await OpenStoresAsync(8);
        var work = NewWork();
        var existing = Enumerable.Range(0, SqlCatalogStore.MaxFingerprintsPerWork - 3).Select(i => Fingerprint($"old/{i}", "old")).ToArray();
        await stores[0].AddWorkAsync(work, null, fingerprints: existing, ct: Ct);

        var results = await Task.WhenAll(stores.Select((store, i) => Task.Run(async () =>
        {
            try
            {
                await store.PutFingerprintAsync(work.Id, Fingerprint($"new/{i}", $"{i}"), Ct);
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        })));

        Assert.Equal(3, results.Count(stored => stored));
        var stored = await stores[0].GetFingerprintsAsync(work.Id, Ct);
        Assert.Equal(SqlCatalogStore.MaxFingerprintsPerWork, stored.Count);
        Assert.Equal(existing.Select(f => f.Algorithm), stored.Take(existing.Length).Select(f => f.Algorithm));
        Assert.Equal(
            Enumerable.Range(0, stores.Length).Where(i => results[i]).Select(i => $"new/{i}").Order(StringComparer.Ordinal),
            stored.Skip(existing.Length).Select(f => f.Algorithm).Order(StringComparer.Ordinal));
    }
}
