using System.Text.Json;
using Atelier.Catalog.Matching;
using Atelier.Core;
using Atelier.Fingerprints.Audio;
using Atelier.Testing;
using Atelier.Transparency.Entries;

namespace Atelier.Catalog.Tests.Matching;

/// <summary>
/// Audio through the catalog: registration stores the landmark fingerprint, and excerpts, speed and tempo
/// changes and long mixes of the registered recordings are found with their offsets (issue 5).
/// </summary>
public class MatchServiceAudioTests(AudioCatalog audio) : IClassFixture<AudioCatalog>
{
    /// <summary>How far a reported offset may be off (issue 5's acceptance figure).</summary>
    private const double OffsetTolerance = 0.2;

    [Fact]
    public async Task Import_audioFile_registersAudioFingerprintAndItsDigest()
    {
        var c = await audio.ReadyAsync();
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(MediaKind.Audio, c.Harbour.Kind);
        var stored = Assert.Single(await c.T.Runtime.Catalog.GetFingerprintsAsync(c.Harbour.Id, ct), f => f.Algorithm == FingerprintService.AudioAlgorithm);
        var fingerprint = AudioFingerprint.FromBytes(stored.Data);
        Assert.InRange(fingerprint.DurationSeconds, AudioCatalog.WorkSeconds - 0.5, AudioCatalog.WorkSeconds + 0.5);
        Assert.False(fingerprint.Peaks.IsEmpty);

        // The log entry commits to the fingerprint: its digest set is exactly {"audio/v1:<sha-256 of the bytes>"}.
        var entry = await c.T.Runtime.Catalog.GetLogEntryForWorkAsync(c.Harbour.Id, ct);
        var registration = WorkRegistration.FromEntry(LogEntry.Parse(entry!.Entry))!;
        Assert.Equal(EntryDigests.Fingerprints(["audio/v1:" + fingerprint.Digest()]), registration.FingerprintDigest);
        Assert.Equal(EntryDigests.Fingerprints(stored.Data), fingerprint.Digest());
    }

    [Fact]
    public async Task Match_mp3Excerpt_findsTheWorkWithItsOffsets()
    {
        var c = await audio.ReadyAsync();
        var excerpt = c.T.Dir.Combine("excerpt.mp3");
        await AudioFixtures.ExcerptAsync(c.HarbourWav, excerpt, startSeconds: 8, seconds: 10);

        var report = await c.T.Runtime.Match.MatchFileAsync(excerpt, 1 << 30, TestContext.Current.CancellationToken);

        Assert.Null(report.Error);
        var m = Assert.Single(report.Matches);
        Assert.Equal(c.Harbour.Id, m.WorkId);
        Assert.Equal(MediaKind.Audio, m.Kind);
        Assert.Equal("partial", m.Grade);
        Assert.InRange(m.Score, 0.01, 1);
        var e = m.Evidence;
        Assert.InRange(e.OriginalStart!.Value - e.QueryStart!.Value, 8 - OffsetTolerance, 8 + OffsetTolerance);
        Assert.InRange(e.QueryStart.Value, 0, 2);
        Assert.InRange(e.Duration!.Value, 6, 10.5);
        Assert.InRange(e.Speed!.Value, 0.99, 1.01);
        Assert.InRange(e.PitchSemitones!.Value, -0.2, 0.2);
        Assert.True(e.MatchedHashes > 0);
        Assert.Null(e.Segments);
        Assert.NotNull(e.LogIndex);
        Assert.Equal(c.Harbour.Sha256, e.Sha256);

        // The same evidence as JSON, as `match --json` and the API print it.
        var json = JsonSerializer.SerializeToElement(e, AtelierJson.Options);
        Assert.Equal(e.OriginalStart.Value, json.GetProperty("originalStart").GetDouble());
        Assert.True(json.TryGetProperty("pitchSemitones", out _));
        Assert.False(json.TryGetProperty("segments", out _));
        Assert.False(json.TryGetProperty("passages", out _));
    }

    [Theory]
    [InlineData("speed", 1.06, 1.06)]
    [InlineData("atempo=0.95", 0.95, 1.0)]
    public async Task Match_speedOrTempoChangedExcerpt_gradesTransformedWithTheFactors(string change, double speed, double pitch)
    {
        var c = await audio.ReadyAsync();
        var suspect = c.T.Dir.Combine($"changed-{speed}.ogg");
        await AudioFixtures.ExcerptAsync(c.TrainWav, suspect, startSeconds: 5, seconds: 14, change == "speed" ? AudioFixtures.SpeedFilter(speed) : change);

        var report = await c.T.Runtime.Match.MatchFileAsync(suspect, 1 << 30, TestContext.Current.CancellationToken);

        var m = Assert.Single(report.Matches);
        Assert.Equal(c.Train.Id, m.WorkId);
        Assert.Equal("transformed", m.Grade);
        var e = m.Evidence;
        Assert.InRange(e.Speed!.Value, speed - 0.015, speed + 0.015);
        Assert.InRange(e.Pitch!.Value, pitch - 0.015, pitch + 0.015);
        Assert.InRange(e.PitchSemitones!.Value, (12 * Math.Log2(pitch)) - 0.25, (12 * Math.Log2(pitch)) + 0.25);

        // Where the suspect's start falls in the original, whatever stretch the alignment begins at.
        Assert.InRange(e.OriginalStart!.Value - (e.QueryStart!.Value * e.Speed.Value), 5 - OffsetTolerance, 5 + OffsetTolerance);
    }

    [Fact]
    public async Task Match_unrelatedMusic_matchesNothing()
    {
        var c = await audio.ReadyAsync();
        var other = c.T.Dir.Combine("unrelated.ogg");
        var wav = c.T.Dir.Combine("unrelated.wav");
        AudioFixtures.WriteWav(wav, AudioFixtures.Music(seed: 777, seconds: 20));
        await AudioFixtures.ExcerptAsync(wav, other, startSeconds: 0, seconds: 20);

        var report = await c.T.Runtime.Match.MatchFileAsync(other, 1 << 30, TestContext.Current.CancellationToken);

        Assert.Null(report.Error);
        Assert.Empty(report.Matches);
    }

    [Fact]
    public async Task Match_longMixOfTwoWorks_givesATimelineWithOneEntryEach()
    {
        var c = await audio.ReadyAsync();
        var ct = TestContext.Current.CancellationToken;
        var harbour = AudioFixtures.Music(AudioCatalog.HarbourSeed, AudioCatalog.WorkSeconds);
        var train = AudioFixtures.Music(AudioCatalog.TrainSeed, AudioCatalog.WorkSeconds);
        var cut = AudioFixtures.SampleRate;

        // 29 s of one work from its 1 s mark, 5 s of silence, 29 s of the other from its 1 s mark: 63 s, long
        // enough to be scanned in segments.
        var wav = c.T.Dir.Combine("mix.wav");
        AudioFixtures.WriteWav(wav, harbour[cut..], AudioFixtures.Silence(5), train[cut..]);
        var mix = c.T.Dir.Combine("mix.ogg");
        await AudioFixtures.ExcerptAsync(wav, mix, 0, 63);

        var report = await c.T.Runtime.Match.MatchFileAsync(mix, 1 << 30, ct);

        Assert.Null(report.Error);
        Assert.Equal([c.Harbour.Id, c.Train.Id], report.Matches.Select(m => m.WorkId).Order(StringComparer.Ordinal));
        var timeline = AudioEvidence.Timeline(report.Matches);
        Assert.Equal(2, timeline.Count);
        var (first, firstWork) = timeline[0];
        var (second, secondWork) = timeline[1];
        Assert.Equal(c.Harbour.Id, firstWork.WorkId);
        Assert.Equal(c.Train.Id, secondWork.WorkId);

        // The segments are 10 s with a 5 s step, so the boundaries are as good as a few seconds; the alignment
        // inside each entry (original time minus suspect time) is exact to the offset tolerance.
        Assert.InRange(first.QueryStart, 0, 3);
        Assert.InRange(first.QueryEnd, 25, 31);
        Assert.InRange(first.OriginalStart - first.QueryStart, 1 - OffsetTolerance, 1 + OffsetTolerance);
        Assert.InRange(second.QueryStart, 33, 38);
        Assert.InRange(second.QueryEnd, 58, 63.5);
        Assert.InRange(second.OriginalStart - second.QueryStart, 1 - 34 - OffsetTolerance, 1 - 34 + OffsetTolerance);
        Assert.All(timeline, x => Assert.InRange(x.Segment.Speed, 0.99, 1.01));

        // The reports show it: a timeline table in HTML, the stretches in CSV, the segments in JSON.
        var html = c.T.Dir.Combine("mix.html");
        var csv = c.T.Dir.Combine("mix.csv");
        var json = c.T.Dir.Combine("mix.json");
        foreach (var path in new[] { html, csv, json })
        {
            await c.T.Runtime.Reports.WriteAsync(path, [report], ct);
        }

        var page = await File.ReadAllTextAsync(html, ct);
        Assert.Contains("Timeline of the suspect", page, StringComparison.Ordinal);
        Assert.Contains(AudioEvidence.Span(second.QueryStart, second.QueryEnd), page, StringComparison.Ordinal);
        Assert.Contains("夜行列车 Night Train", page, StringComparison.Ordinal);
        var rows = await File.ReadAllLinesAsync(csv, ct);
        Assert.Contains("timeline", rows[0], StringComparison.Ordinal);
        Assert.Contains(rows, r => r.Contains(c.Train.Id, StringComparison.Ordinal) && r.Contains(" = original ", StringComparison.Ordinal));
        var files = JsonDocument.Parse(await File.ReadAllTextAsync(json, ct)).RootElement.GetProperty("files");
        Assert.All(files[0].GetProperty("matches").EnumerateArray(), m => Assert.Equal(1, m.GetProperty("evidence").GetProperty("segments").GetArrayLength()));
    }
}
