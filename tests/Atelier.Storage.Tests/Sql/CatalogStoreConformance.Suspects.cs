using System.Text;
using Atelier.Core;
using Atelier.Storage.Sql;

namespace Atelier.Storage.Tests.Sql;

/// <summary>Scanned suspects, their fingerprints and findings, kept for the rescan (<see cref="ISuspectStore"/>).</summary>
public abstract partial class CatalogStoreConformance
{
    private const string Evidence = """{"distance":3,"variant":"mirrored","passage":"春眠不觉晓"}""";

    private async Task<long> PutSuspectAsync(ICatalogStore store, string path, string? sha256 = null, params FingerprintRecord[] fingerprints) =>
        await store.PutSuspectAsync(path, sha256 ?? RandomSha256(), fingerprints, T0, Ct);

    private Task<bool> AddFindingAsync(ICatalogStore store, long suspectId, string workId, DateTimeOffset foundAt, DateTimeOffset? reportedAt = null) =>
        store.AddFindingAsync(suspectId, workId, "near-exact", 0.875, Evidence, foundAt, reportedAt, Ct);

    private async Task<List<(long SuspectId, byte[] Data)>> ListSuspectFingerprintsAsync(ICatalogStore store, string algorithm) =>
        await store.ListSuspectFingerprintsAsync(algorithm, Ct).ToListAsync(Ct);

    [Fact]
    public async Task PutSuspectAsync_newSuspect_roundTrips()
    {
        var store = await OpenStoreAsync();
        var sha256 = RandomSha256();
        var path = "/扫描/可疑 file's \"copy\".jpg";

        var id = await store.PutSuspectAsync(path, sha256, [Fingerprint(ImageV1, "pdq"), Fingerprint("text/v1", "文本")], T0, Ct);

        var suspect = await store.GetSuspectAsync(id, Ct);
        Assert.NotNull(suspect);
        Assert.Equal((id, path, sha256), (suspect.Id, suspect.Path, suspect.Sha256));
        AssertStoredTime(T0, suspect.ScannedAt);
        var listed = Assert.Single(await ListSuspectFingerprintsAsync(store, "text/v1"));
        Assert.Equal((id, "文本"), (listed.SuspectId, Encoding.UTF8.GetString(listed.Data)));
        Assert.Null(await store.GetSuspectAsync(id + 1, Ct));
        Assert.NotEqual(id, await PutSuspectAsync(store, "/other.jpg"));
    }

    [Fact]
    public async Task PutSuspectAsync_sameSha256_keepsTheIdAndReplacesPathTimeAndFingerprints()
    {
        var store = await OpenStoreAsync();
        var sha256 = RandomSha256();
        var id = await store.PutSuspectAsync("/first/place.png", sha256, [Fingerprint(ImageV1, "old"), Fingerprint("text/v1", "old text")], T0, Ct);
        var other = await PutSuspectAsync(store, "/other.png", null, Fingerprint(ImageV1, "other"));

        var again = await store.PutSuspectAsync("/moved/place.png", sha256, [Fingerprint(ImageV1, "new"), Fingerprint("image/v2", "v2")], T0.AddDays(1), Ct);

        Assert.Equal(id, again);
        var suspect = await store.GetSuspectAsync(id, Ct);
        Assert.Equal("/moved/place.png", suspect?.Path);
        AssertStoredTime(T0.AddDays(1), suspect?.ScannedAt);
        Assert.Equal([(id, "new"), (other, "other")], (await ListSuspectFingerprintsAsync(store, ImageV1)).Select(f => (f.SuspectId, Encoding.UTF8.GetString(f.Data))));
        Assert.Empty(await ListSuspectFingerprintsAsync(store, "text/v1"));
        Assert.Equal([id], (await ListSuspectFingerprintsAsync(store, "image/v2")).Select(f => f.SuspectId));
        Assert.Equal("2", await QueryTextAsync("SELECT CAST(COUNT(*) AS TEXT) FROM suspects"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(SqlCatalogStore.FingerprintPageSize)]
    public async Task ListSuspectFingerprintsAsync_pagedScan_listsOneAlgorithmInSuspectIdOrder(int pageRows)
    {
        var store = await OpenStoreAsync();
        var ids = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            FingerprintRecord[] fingerprints = i == 4 ? [Fingerprint("text/v1", "only text")] : [Fingerprint("text/v1", "t"), Fingerprint(ImageV1, $"image {i}")];
            ids.Add(await PutSuspectAsync(store, $"/suspect {i}", null, fingerprints));
        }

        ((SqlCatalogStore)store).FingerprintPageRows = pageRows;
        var listed = await ListSuspectFingerprintsAsync(store, ImageV1);

        var expected = Enumerable.Range(0, 10).Where(i => i != 4).ToList();
        Assert.Equal(expected.Select(i => ids[i]), listed.Select(f => f.SuspectId));
        Assert.Equal(expected.Select(i => $"image {i}"), listed.Select(f => Encoding.UTF8.GetString(f.Data)));
        Assert.Equal(ids.Order(), ids);
        Assert.Throws<ArgumentException>(() => store.ListSuspectFingerprintsAsync("Image/V1", Ct));
    }

    [Fact]
    public async Task AddFindingAsync_sameSuspectAndWorkTwice_keepsTheFirst()
    {
        var store = await OpenStoreAsync();
        var work = await AddAsync(store, NewWork("原作"));
        var suspect = await PutSuspectAsync(store, "/copy.jpg");

        Assert.True(await store.AddFindingAsync(suspect, work.Id, "exact", 1.0, Evidence, T0, null, Ct));
        Assert.False(await store.AddFindingAsync(suspect, work.Id, "partial", 0.25, "{}", T0.AddHours(1), null, Ct));

        var finding = Assert.Single(await store.TakeUnreportedFindingsAsync(T0.AddDays(1), Ct));
        Assert.Equal((suspect, "/copy.jpg", work.Id, "exact", 1.0, Evidence), (finding.SuspectId, finding.SuspectPath, finding.WorkId, finding.Grade, finding.Score, finding.Evidence));
        AssertStoredTime(T0, finding.FoundAt);
        AssertStoredTime(T0.AddDays(1), finding.ReportedAt);
    }

    [Fact]
    public async Task TakeUnreportedFindingsAsync_takenOnce_returnsOldestFirstThenNothing()
    {
        var store = await OpenStoreAsync();
        var early = await AddAsync(store, NewWork("early", registeredAt: T0));
        var late = await AddAsync(store, NewWork("late", registeredAt: T0.AddMinutes(1)));
        var a = await PutSuspectAsync(store, "/a");
        var b = await PutSuspectAsync(store, "/b");
        // Added out of order; found_at ties are settled by suspect id, then work id.
        Assert.True(await AddFindingAsync(store, b, late.Id, T0.AddMinutes(5)));
        Assert.True(await AddFindingAsync(store, b, early.Id, T0.AddMinutes(1)));
        Assert.True(await AddFindingAsync(store, a, late.Id, T0.AddMinutes(1)));
        Assert.True(await AddFindingAsync(store, a, early.Id, T0.AddMinutes(1)));

        var taken = await store.TakeUnreportedFindingsAsync(T0.AddHours(1), Ct);

        Assert.Equal([(a, early.Id), (a, late.Id), (b, early.Id), (b, late.Id)], taken.Select(f => (f.SuspectId, f.WorkId)));
        Assert.Equal(["/a", "/a", "/b", "/b"], taken.Select(f => f.SuspectPath));
        Assert.All(taken, f => AssertStoredTime(T0.AddHours(1), f.ReportedAt));
        Assert.Empty(await store.TakeUnreportedFindingsAsync(T0.AddHours(2), Ct));
        // A finding added later is the next take's, and only it.
        var c = await PutSuspectAsync(store, "/c");
        Assert.True(await AddFindingAsync(store, c, early.Id, T0.AddHours(3)));
        Assert.Equal([c], (await store.TakeUnreportedFindingsAsync(T0.AddHours(4), Ct)).Select(f => f.SuspectId));
    }

    [Fact]
    public async Task TakeUnreportedFindingsAsync_findingReportedAtInsert_isNotReturned()
    {
        var store = await OpenStoreAsync();
        var work = await AddAsync(store, NewWork());
        var shown = await PutSuspectAsync(store, "/shown by its scan");
        var rescanned = await PutSuspectAsync(store, "/found by the rescan");

        Assert.True(await AddFindingAsync(store, shown, work.Id, T0, reportedAt: T0));
        Assert.True(await AddFindingAsync(store, rescanned, work.Id, T0.AddMinutes(1)));

        Assert.Equal([rescanned], (await store.TakeUnreportedFindingsAsync(T0.AddHours(1), Ct)).Select(f => f.SuspectId));
        Assert.Empty(await store.TakeUnreportedFindingsAsync(T0.AddHours(2), Ct));
    }

    [Fact]
    public async Task TakeUnreportedFindingsAsync_fromFourStoresAtOnce_returnsEachFindingExactlyOnce()
    {
        var stores = await OpenStoresAsync(4);
        var works = new List<Work>();
        for (var i = 0; i < 5; i++)
        {
            works.Add(await AddAsync(stores[0], NewWork($"work {i}", registeredAt: T0.AddMinutes(i))));
        }

        var expected = new List<(long, string)>();
        for (var s = 0; s < 8; s++)
        {
            var suspect = await PutSuspectAsync(stores[s % 4], $"/suspect {s}");
            foreach (var work in works)
            {
                Assert.True(await AddFindingAsync(stores[s % 4], suspect, work.Id, T0.AddSeconds(s)));
                expected.Add((suspect, work.Id));
            }
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racing = stores.Select(async (store, i) =>
        {
            await start.Task;
            var taken = new List<ScanFinding>();
            // Each store takes a few times, so some takes meet others mid-way and some find nothing.
            for (var round = 0; round < 3; round++)
            {
                taken.AddRange(await store.TakeUnreportedFindingsAsync(T0.AddHours(1 + i), Ct));
            }

            return taken;
        }).ToArray();
        start.SetResult();
        var results = await Task.WhenAll(racing);

        var all = results.SelectMany(r => r).Select(f => (f.SuspectId, f.WorkId)).ToList();
        Assert.Equal(expected.Count, all.Count);
        Assert.Equal(expected.Order(), all.Order());
        Assert.Empty(await stores[0].TakeUnreportedFindingsAsync(T0.AddDays(1), Ct));
    }

    [Fact]
    public async Task Suspects_outsideTheLimits_throwClearArgumentExceptionsAndStoreNothing()
    {
        var store = await OpenStoreAsync();
        var sha256 = RandomSha256();
        FingerprintRecord[] ok = [Fingerprint(ImageV1, "x")];
        (Func<Task> Act, string Message)[] puts =
        [
            (() => store.PutSuspectAsync("", sha256, ok, T0, Ct), "path"),
            (() => store.PutSuspectAsync(new string('路', SqlCatalogStore.MaxSuspectPathLength + 1), sha256, ok, T0, Ct), "at most 4096 characters; this one has 4097"),
            (() => store.PutSuspectAsync("/nul\0.jpg", sha256, ok, T0, Ct), "U+0000"),
            (() => store.PutSuspectAsync("/half\ud800.jpg", sha256, ok, T0, Ct), "surrogate"),
            (() => store.PutSuspectAsync("/a.jpg", sha256.ToUpperInvariant(), ok, T0, Ct), "64 lowercase hexadecimal digits"),
            (() => store.PutSuspectAsync("/a.jpg", sha256[..63], ok, T0, Ct), "64 lowercase hexadecimal digits"),
            (() => store.PutSuspectAsync("/a.jpg", sha256, [Fingerprint(ImageV1, "1"), Fingerprint(ImageV1, "2")], T0, Ct), $"'{ImageV1}' more than once"),
            (() => store.PutSuspectAsync("/a.jpg", sha256, [new("Image/v1", [1])], T0, Ct), "U+0049 at position 0"),
            (() => store.PutSuspectAsync("/a.jpg", sha256, [new(ImageV1, [])], T0, Ct), "no bytes"),
            (() => store.PutSuspectAsync("/a.jpg", sha256, [.. Enumerable.Range(0, 17).Select(i => Fingerprint($"alg/{i}", "x"))], T0, Ct), "a suspect has at most 16 fingerprints; 17 were given"),
        ];

        foreach (var (act, message) in puts)
        {
            var e = await Assert.ThrowsAsync<ArgumentException>(act);
            Assert.Contains(message, e.Message, StringComparison.Ordinal);
        }

        Assert.Equal("0", await QueryTextAsync("SELECT CAST(COUNT(*) AS TEXT) FROM suspects"));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.PutSuspectAsync("/a.jpg", sha256, null!, T0, Ct));

        var work = await AddAsync(store, NewWork());
        var suspect = await PutSuspectAsync(store, new string('路', SqlCatalogStore.MaxSuspectPathLength), sha256, ok);
        var unknownWork = WorkId.New(T0.AddDays(1));
        (Func<Task> Act, string Message)[] findings =
        [
            (() => store.AddFindingAsync(suspect + 1, work.Id, "exact", 1, "{}", T0, null, Ct), $"no suspect {suspect + 1}"),
            (() => store.AddFindingAsync(suspect, unknownWork, "exact", 1, "{}", T0, null, Ct), $"no work '{unknownWork}'"),
            (() => store.AddFindingAsync(suspect, "not a work id", "exact", 1, "{}", T0, null, Ct), "not a valid work id"),
            (() => store.AddFindingAsync(suspect, work.Id, new string('g', SqlCatalogStore.MaxFindingGradeLength + 1), 1, "{}", T0, null, Ct), "at most 32 characters; this one has 33"),
            (() => store.AddFindingAsync(suspect, work.Id, " ", 1, "{}", T0, null, Ct), "grade"),
            (() => store.AddFindingAsync(suspect, work.Id, "exact", double.NaN, "{}", T0, null, Ct), "finite"),
            (() => store.AddFindingAsync(suspect, work.Id, "exact", double.PositiveInfinity, "{}", T0, null, Ct), "finite"),
            (() => store.AddFindingAsync(suspect, work.Id, "exact", 1, new string('证', (SqlCatalogStore.MaxFindingEvidenceLength / 3) + 1), T0, null, Ct), "at most 1048576 bytes of UTF-8; this one is 1048578"),
            (() => store.AddFindingAsync(suspect, work.Id, "exact", 1, "{\"x\":\"\0\"}", T0, null, Ct), "U+0000"),
        ];

        foreach (var (act, message) in findings)
        {
            var e = await Assert.ThrowsAnyAsync<ArgumentException>(act);
            Assert.Contains(message, e.Message, StringComparison.Ordinal);
        }

        Assert.Empty(await store.TakeUnreportedFindingsAsync(T0, Ct));
        // At the limits, both are stored.
        var largest = new string('证', SqlCatalogStore.MaxFindingEvidenceLength / 3);
        Assert.True(await store.AddFindingAsync(suspect, work.Id, new string('g', SqlCatalogStore.MaxFindingGradeLength), 0, largest, T0, null, Ct));
        var taken = Assert.Single(await store.TakeUnreportedFindingsAsync(T0, Ct));
        Assert.Equal(largest, taken.Evidence);
        Assert.Equal(SqlCatalogStore.MaxSuspectPathLength, taken.SuspectPath.Length);
    }
}
