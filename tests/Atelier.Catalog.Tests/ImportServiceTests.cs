using System.Text;
using Atelier.Core;
using Atelier.Testing;

namespace Atelier.Catalog.Tests;

public class ImportServiceTests
{
    private static readonly ImportRequest Request = new() { Actor = "test" };

    [Fact]
    public async Task ImportMany_folderWithBadFiles_importsTheGoodAndReportsEachBadWithItsReason()
    {
        await using var t = await TestRuntime.CreateAsync();
        var src = t.Dir.Combine("in");
        Directory.CreateDirectory(Path.Combine(src, "nested", "deeper"));
        var jpeg = TestRuntime.Jpeg(256, 1);
        await File.WriteAllBytesAsync(Path.Combine(src, "truncated.jpg"), jpeg[..(jpeg.Length / 2)], TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(src, "empty.png"), [], TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(src, "作品.png"), Fixtures.Png(64, 48, 7), TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(src, "nested", "deeper", "photo.jpg"), TestRuntime.Jpeg(200, 2), TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(src, "poem-gb18030.txt"), Encoding.GetEncoding("GB18030").GetBytes("床前明月光，疑是地上霜。举头望明月，低头思故乡。\n静夜思，李白作于扬州旅舍。"), TestContext.Current.CancellationToken);
        Fixtures.MakeUnreadable(Path.Combine(src, "locked.txt"));

        var (files, failures) = ImportService.ExpandPaths([src]);
        Assert.Empty(failures);
        var outcomes = new List<ImportOutcome>();
        await foreach (var o in t.Runtime.Import.ImportManyAsync(files, Request, 1 << 30, ct: TestContext.Current.CancellationToken))
        {
            outcomes.Add(o);
        }

        ImportOutcome For(string name) => outcomes.Single(o => Path.GetFileName(o.Path) == name);
        Assert.Equal(6, outcomes.Count);
        Assert.Equal(ImportStatus.Imported, For("作品.png").Status);
        Assert.Equal(ImportStatus.Imported, For("photo.jpg").Status);
        var text = For("poem-gb18030.txt");
        Assert.Equal(ImportStatus.Imported, text.Status);
        Assert.Equal(MediaKind.Text, text.Work!.Kind);
        Assert.Equal("gb18030", text.Work.Metadata.Text!.Encoding);
        Assert.Equal(MediaKind.Image, For("作品.png").Work!.Kind);
        Assert.Equal("作品", For("作品.png").Work!.Title);

        Assert.Equal(ImportStatus.Failed, For("truncated.jpg").Status);
        Assert.Contains("corrupt", For("truncated.jpg").Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ImportStatus.Failed, For("empty.png").Status);
        Assert.Contains("empty", For("empty.png").Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ImportStatus.Failed, For("locked.txt").Status);
        Assert.Contains("unreadable", For("locked.txt").Error, StringComparison.OrdinalIgnoreCase);

        var page = await t.Runtime.Works.ListAsync(new WorkQuery(), TestContext.Current.CancellationToken);
        Assert.Equal(3, page.Total);
        await AssertNoOrphansAsync(t.Runtime);
    }

    [Fact]
    public async Task ImportMany_recordings_decoded_together_are_fingerprinted_as_each_alone_and_a_bad_one_fails_alone()
    {
        AudioFixtures.RequireFfmpeg();
        await using var t = await TestRuntime.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var src = t.Dir.Combine("songs");
        Directory.CreateDirectory(src);
        var wav = t.Dir.Combine("source.wav");
        AudioFixtures.WriteWav(wav, AudioFixtures.Music(3, 30));
        await AudioFixtures.ExcerptAsync(wav, Path.Combine(src, "a song.ogg"), 0, 9);
        await AudioFixtures.ExcerptAsync(wav, Path.Combine(src, "曲 2.mp3"), 10, 9);
        await AudioFixtures.ExcerptAsync(wav, Path.Combine(src, "c, 'third' [take 1].flac"), 20, 9);
        await File.WriteAllBytesAsync(Path.Combine(src, "b-broken.mp3"), [0xFF, 0xFB, 0x90, 0x00, .. Enumerable.Range(0, 4000).Select(i => (byte)((i * 7919) % 251))], ct);

        var (files, _) = ImportService.ExpandPaths([src]);
        var outcomes = new List<ImportOutcome>();
        await foreach (var o in t.Runtime.Import.ImportManyAsync(files, Request, 1 << 30, ct: ct))
        {
            outcomes.Add(o);
        }

        Assert.Equal(files, outcomes.Select(o => o.Path));
        var broken = outcomes.Single(o => Path.GetFileName(o.Path) == "b-broken.mp3");
        Assert.Equal(ImportStatus.Failed, broken.Status);
        var imported = outcomes.Where(o => o != broken).ToList();
        Assert.All(imported, o => Assert.Equal(ImportStatus.Imported, o.Status));

        // What the catalog stored for each is what fingerprinting that file alone gives.
        var stored = new Dictionary<string, byte[]>();
        await foreach (var fp in t.Runtime.Catalog.ListFingerprintsAsync(Atelier.Catalog.Matching.FingerprintService.AudioAlgorithm, ct))
        {
            stored[fp.WorkId] = fp.Data;
        }

        var media = new Atelier.Media.MediaOptions();
        var alone = new Atelier.Catalog.Matching.FingerprintService(media);
        var inspector = new Atelier.Media.MediaInspector(media);
        foreach (var o in imported)
        {
            var name = Path.GetFileName(o.Path);
            var inspection = await inspector.InspectAsync(o.Path, name, ct);
            var single = await alone.ComputeAsync(o.Path, name, inspection, ct);
            Assert.Equal(single.Audio!.ToBytes(), stored[o.WorkId!]);
        }
    }

    [Fact]
    public async Task ImportFile_sameContentTwice_reportsDuplicateWithExistingId()
    {
        await using var t = await TestRuntime.CreateAsync();
        var a = t.Dir.Combine("a.png");
        var b = t.Dir.Combine("copy of a.png");
        await File.WriteAllBytesAsync(a, Fixtures.Png(32, 32, 1), TestContext.Current.CancellationToken);
        File.Copy(a, b);

        var first = await t.Runtime.Import.ImportFileAsync(a, Request, 1 << 20, TestContext.Current.CancellationToken);
        var second = await t.Runtime.Import.ImportFileAsync(b, Request, 1 << 20, TestContext.Current.CancellationToken);

        Assert.Equal(ImportStatus.Imported, first.Status);
        Assert.Equal(ImportStatus.Duplicate, second.Status);
        Assert.Equal(first.WorkId, second.WorkId);
        Assert.Equal(1, (await t.Runtime.Works.ListAsync(new WorkQuery(), TestContext.Current.CancellationToken)).Total);
    }

    [Fact]
    public async Task ImportFile_sameContentConcurrently_addsExactlyOneWork()
    {
        await using var t = await TestRuntime.CreateAsync();
        var bytes = Fixtures.Png(64, 64, 3);
        var paths = Enumerable.Range(0, 8).Select(i => t.Dir.Combine($"c{i}.png")).ToArray();
        foreach (var p in paths)
        {
            await File.WriteAllBytesAsync(p, bytes, TestContext.Current.CancellationToken);
        }

        var outcomes = await Task.WhenAll(paths.Select(p => Task.Run(() => t.Runtime.Import.ImportFileAsync(p, Request, 1 << 20))));

        Assert.Single(outcomes, o => o.Status == ImportStatus.Imported);
        Assert.Equal(7, outcomes.Count(o => o.Status == ImportStatus.Duplicate));
        Assert.Single(outcomes.Select(o => o.WorkId).Distinct());
    }

    [Fact]
    public async Task ImportFile_overTheLimit_failsAndStoresNothing()
    {
        await using var t = await TestRuntime.CreateAsync();
        var p = t.Dir.Combine("big.txt");
        await File.WriteAllTextAsync(p, Fixtures.Text(10_000, 1), TestContext.Current.CancellationToken);

        var outcome = await t.Runtime.Import.ImportFileAsync(p, Request, 1_000, TestContext.Current.CancellationToken);

        Assert.Equal(ImportStatus.Failed, outcome.Status);
        Assert.Contains("limit", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(await t.Runtime.Blobs.ListAsync(TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ImportStaged_sharesNotAddingUp_isRefused()
    {
        await using var t = await TestRuntime.CreateAsync();
        await using var staged = await t.Runtime.Import.StageAsync(new MemoryStream(Fixtures.Png(16, 16, 4)), 1 << 20, TestContext.Current.CancellationToken);
        var request = new ImportRequest { Contributors = [new("Ann", "composer", 5000), new("Bo", "lyricist", 4000)] };

        var ex = await Assert.ThrowsAsync<CatalogValidationException>(() => t.Runtime.Import.ImportStagedAsync(staged, "x.png", request, TestContext.Current.CancellationToken));
        Assert.Contains("10000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportStaged_metadataAndCredits_areStored()
    {
        await using var t = await TestRuntime.CreateAsync();
        await using var staged = await t.Runtime.Import.StageAsync(new MemoryStream(Fixtures.Png(40, 30, 5)), 1 << 20, TestContext.Current.CancellationToken);
        var request = new ImportRequest
        {
            Title = "  Harbour at dawn ",
            Contributors = [new("Ann Lee", "photographer", 7000), new("李华", "editor", 3000)],
            Tags = ["sea", "sea", " 2026 "],
        };

        var outcome = await t.Runtime.Import.ImportStagedAsync(staged, "../../etc/harbour.png", request, TestContext.Current.CancellationToken);

        var work = (await t.Runtime.Works.GetAsync(outcome.WorkId!, TestContext.Current.CancellationToken))!.Work;
        Assert.Equal("Harbour at dawn", work.Title);
        Assert.Equal("harbour.png", work.OriginalFileName);
        Assert.Equal(["sea", "2026"], work.Tags);
        Assert.Equal(2, work.Contributors.Count);
        Assert.Equal(40, work.Metadata.Image!.Width);
        Assert.Equal(30, work.Metadata.Image.Height);
        Assert.Equal("image/png", work.MediaType);
        Assert.Equal(TimeSpan.Zero, work.RegisteredAt.Offset);
    }

    [Fact]
    public async Task Delete_leavesListingButKeepsRecordAndHistory()
    {
        await using var t = await TestRuntime.CreateAsync();
        var p = t.Dir.Combine("a.png");
        await File.WriteAllBytesAsync(p, Fixtures.Png(20, 20, 9), TestContext.Current.CancellationToken);
        var id = (await t.Runtime.Import.ImportFileAsync(p, Request, 1 << 20, TestContext.Current.CancellationToken)).WorkId!;

        Assert.True(await t.Runtime.Works.DeleteAsync(id, "owner", TestContext.Current.CancellationToken));
        Assert.False(await t.Runtime.Works.DeleteAsync(id, "owner", TestContext.Current.CancellationToken));

        Assert.Equal(0, (await t.Runtime.Works.ListAsync(new WorkQuery(), TestContext.Current.CancellationToken)).Total);
        var details = await t.Runtime.Works.GetAsync(id, TestContext.Current.CancellationToken);
        Assert.NotNull(details!.Work.DeletedAt);
        Assert.Equal(["registered", "deleted"], details.History.Select(h => h.Type));
        var deleted = await t.Runtime.Works.FindAsync(id, TestContext.Current.CancellationToken);
        Assert.Equal(ContentStatus.Deleted, (await t.Runtime.Works.OpenContentAsync(deleted!, 0, null, TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task Gc_orphanBlob_isRemovedAndReferencedBlobsStay()
    {
        await using var t = await TestRuntime.CreateAsync();
        var p = t.Dir.Combine("keep.png");
        await File.WriteAllBytesAsync(p, Fixtures.Png(20, 20, 10), TestContext.Current.CancellationToken);
        var kept = (await t.Runtime.Import.ImportFileAsync(p, Request, 1 << 20, TestContext.Current.CancellationToken)).Work!;
        var orphan = await t.Runtime.Blobs.PutAsync(new MemoryStream(Encoding.UTF8.GetBytes("left behind by a crash")), 1 << 20, TestContext.Current.CancellationToken);

        var dry = await t.Runtime.Gc.CollectAsync(TimeSpan.Zero, dryRun: true, TestContext.Current.CancellationToken);
        Assert.Equal([orphan.Sha256], dry.Orphans);
        Assert.NotNull(await t.Runtime.Blobs.GetInfoAsync(orphan.Sha256, TestContext.Current.CancellationToken));

        var real = await t.Runtime.Gc.CollectAsync(TimeSpan.Zero, dryRun: false, TestContext.Current.CancellationToken);
        Assert.Equal(1, real.OrphansRemoved);
        Assert.Null(await t.Runtime.Blobs.GetInfoAsync(orphan.Sha256, TestContext.Current.CancellationToken));
        Assert.NotNull(await t.Runtime.Blobs.GetInfoAsync(kept.Sha256, TestContext.Current.CancellationToken));

        var young = await t.Runtime.Blobs.PutAsync(new MemoryStream(Encoding.UTF8.GetBytes("an import in flight")), 1 << 20, TestContext.Current.CancellationToken);
        var guarded = await t.Runtime.Gc.CollectAsync(TimeSpan.FromMinutes(10), dryRun: false, TestContext.Current.CancellationToken);
        Assert.Equal(0, guarded.OrphansRemoved);
        Assert.NotNull(await t.Runtime.Blobs.GetInfoAsync(young.Sha256, TestContext.Current.CancellationToken));
    }

    internal static async Task AssertNoOrphansAsync(AtelierRuntime rt)
    {
        await foreach (var blob in rt.Blobs.ListAsync())
        {
            Assert.True(await rt.Catalog.IsBlobReferencedAsync(blob.Sha256), $"blob {blob.Sha256} is not referenced by any work");
        }
    }
}
