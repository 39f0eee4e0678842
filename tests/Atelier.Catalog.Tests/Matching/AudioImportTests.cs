using Atelier.Core;
using Atelier.Testing;

namespace Atelier.Catalog.Tests.Matching;

/// <summary>Audio imports that must fail cleanly, and the rescan of audio suspects.</summary>
public class AudioImportTests
{
    private static readonly ImportRequest Request = new() { Actor = "test" };

    [Fact]
    public async Task ImportMany_corruptAudioAmongGoodFiles_reportsEachWithItsReasonAndImportsTheRest()
    {
        AudioFixtures.RequireFfmpeg();
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestRuntime.CreateAsync();
        var src = t.Dir.Combine("in");
        Directory.CreateDirectory(src);
        AudioFixtures.WriteWav(Path.Combine(src, "a-song.wav"), AudioFixtures.Music(seed: 41, seconds: 12));
        await AudioFixtures.ExcerptAsync(Path.Combine(src, "a-song.wav"), t.Dir.Combine("whole.ogg"), 0, 12);
        var ogg = await File.ReadAllBytesAsync(t.Dir.Combine("whole.ogg"), ct);

        // An MP3 tag followed by noise, and an Ogg file cut inside its headers: both claim audio, neither has any.
        var junk = new byte[20_000];
        new Random(5).NextBytes(junk);
        await File.WriteAllBytesAsync(Path.Combine(src, "b-broken.mp3"), [.. "ID3"u8, 4, 0, 0, 0, 0, 0, 0, .. junk], ct);
        await File.WriteAllBytesAsync(Path.Combine(src, "c-cut.ogg"), ogg[..200], ct);
        await File.WriteAllBytesAsync(Path.Combine(src, "d-cover.png"), Fixtures.Png(48, 48, 3), ct);

        var (files, _) = ImportService.ExpandPaths([src]);
        var outcomes = await t.Runtime.Import.ImportManyAsync(files, Request, 1 << 30, ct: ct).ToListAsync(ct);

        ImportOutcome For(string name) => outcomes.Single(o => Path.GetFileName(o.Path) == name);
        Assert.Equal(4, outcomes.Count);
        Assert.Equal(ImportStatus.Imported, For("a-song.wav").Status);
        Assert.Equal(MediaKind.Audio, For("a-song.wav").Work!.Kind);
        Assert.Equal(ImportStatus.Imported, For("d-cover.png").Status);
        foreach (var bad in new[] { "b-broken.mp3", "c-cut.ogg" })
        {
            Assert.Equal(ImportStatus.Failed, For(bad).Status);
            Assert.Contains("audio", For(bad).Error, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(2, (await t.Runtime.Works.ListAsync(new WorkQuery(), ct)).Total);
        await ImportServiceTests.AssertNoOrphansAsync(t.Runtime);
    }

    [Fact]
    public async Task Import_audioLongerThanTheLimit_isRefusedNamingTheLimitAndStoresNothing()
    {
        AudioFixtures.RequireFfmpeg();
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestRuntime.CreateAsync(maxAudioSeconds: 10);
        var path = t.Dir.Combine("too-long.wav");
        AudioFixtures.WriteWav(path, AudioFixtures.Music(seed: 42, seconds: 15));

        var outcome = await t.Runtime.Import.ImportFileAsync(path, Request, 1 << 30, ct);

        Assert.Equal(ImportStatus.Failed, outcome.Status);
        Assert.Contains("audio too long", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("0:10.0", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("ATELIER_MAX_AUDIO_SECONDS", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(await t.Runtime.Blobs.ListAsync(ct).ToListAsync(ct));
    }

    [Fact]
    public async Task ScanNew_audioSuspectsScannedBeforeTheirWorkIsRegistered_areFoundOnImportWithTheirOffsetsAndSpeed()
    {
        AudioFixtures.RequireFfmpeg();
        var ct = TestContext.Current.CancellationToken;
        await using var t = await TestRuntime.CreateAsync();

        // Over a minute long, so the new work is scanned against the kept suspects in segments.
        var work = t.Dir.Combine("ballad.wav");
        AudioFixtures.WriteWav(work, AudioFixtures.Music(seed: 43, seconds: 70));
        var clip = t.Dir.Combine("clip.mp3");
        await AudioFixtures.ExcerptAsync(work, clip, startSeconds: 42, seconds: 10);
        var fast = t.Dir.Combine("fast.ogg");
        await AudioFixtures.ExcerptAsync(work, fast, startSeconds: 20, seconds: 12, AudioFixtures.SpeedFilter(1.05));
        foreach (var suspect in new[] { clip, fast })
        {
            var before = await t.Runtime.Match.ScanFileAsync(suspect, 1 << 30, ct);
            Assert.Empty(before.Matches);
            Assert.Null(before.Error);
        }

        var imported = await t.Runtime.Import.ImportFileAsync(work, Request, 1 << 30, ct);
        Assert.Equal(ImportStatus.Imported, imported.Status);
        Assert.Null(imported.Warning);

        var findings = (await t.Runtime.Catalog.TakeUnreportedFindingsAsync(DateTimeOffset.UtcNow, ct)).ToDictionary(f => Path.GetFileName(f.SuspectPath));
        Assert.Equal(["clip.mp3", "fast.ogg"], findings.Keys.Order(StringComparer.Ordinal));
        Assert.All(findings.Values, f => Assert.Equal(imported.WorkId, f.WorkId));
        Assert.Equal("partial", findings["clip.mp3"].Grade);
        Assert.Equal("transformed", findings["fast.ogg"].Grade);

        // Seen from the suspect again (the index had the roles swapped): where the suspect's start falls in
        // the work, and how much faster the suspect plays.
        var plain = Evidence(findings["clip.mp3"]);
        Assert.InRange(plain.OriginalStart!.Value - plain.QueryStart!.Value, 42 - 0.2, 42 + 0.2);
        Assert.InRange(plain.Speed!.Value, 0.99, 1.01);
        Assert.Equal(imported.Work!.Sha256, plain.Sha256);
        var faster = Evidence(findings["fast.ogg"]);
        Assert.InRange(faster.Speed!.Value, 1.035, 1.065);
        Assert.InRange(faster.PitchSemitones!.Value, 0.6, 1.1);
        Assert.InRange(faster.OriginalStart!.Value - (faster.QueryStart!.Value * faster.Speed.Value), 20 - 0.2, 20 + 0.2);
    }

    private static Catalog.Matching.MatchEvidence Evidence(ScanFinding finding) =>
        System.Text.Json.JsonSerializer.Deserialize<Catalog.Matching.MatchEvidence>(finding.Evidence, AtelierJson.Options)!;
}
