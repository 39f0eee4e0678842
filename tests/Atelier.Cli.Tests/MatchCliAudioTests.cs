using System.Text.Json;
using Atelier.Testing;

namespace Atelier.Cli.Tests;

/// <summary>`atelier match`, `scan` and `scan --new` on recordings: what a person reads and what a script parses.</summary>
public class MatchCliAudioTests
{
    [Fact]
    public async Task MatchAndScan_excerptsAndAMixOfRegisteredRecordings_printTheAudioEvidence()
    {
        AudioFixtures.RequireFfmpeg();
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("atelier-audio-cli");
        var works = dir.Combine("works");
        var suspects = dir.Combine("suspects");
        Directory.CreateDirectory(works);
        Directory.CreateDirectory(suspects);
        var waltz = AudioFixtures.Music(seed: 71, seconds: 30);
        var reel = AudioFixtures.Music(seed: 72, seconds: 30);
        AudioFixtures.WriteWav(Path.Combine(works, "waltz.wav"), waltz);
        AudioFixtures.WriteWav(Path.Combine(works, "reel.wav"), reel);

        // Kept before the works exist: found by the rescan when they are imported.
        await AudioFixtures.ExcerptAsync(Path.Combine(works, "reel.wav"), Path.Combine(suspects, "early-clip.ogg"), startSeconds: 15, seconds: 10);
        var cli = new CliRunner(dir.Combine("data"));
        var (earlyCode, earlyOut, earlyErr) = await cli.RunAsync("scan", suspects);
        Assert.True(earlyCode == 0, earlyErr);
        Assert.Contains("no match", earlyOut, StringComparison.Ordinal);

        var (importCode, importOut, importErr) = await cli.RunAsync("import", works, "--json");
        Assert.True(importCode == 0, importErr);
        var ids = CliRunner.JsonLines(importOut).ToDictionary(l => Path.GetFileName(l.GetProperty("path").GetString()!), l => l.GetProperty("workId").GetString()!);

        var (newCode, newOut, _) = await cli.RunAsync("scan", "--new");
        Assert.Equal(0, newCode);
        Assert.Contains($"-> {ids["reel.wav"]}", newOut, StringComparison.Ordinal);
        Assert.Matches(@"early-clip\.ogg -> \S+ ""reel"" \(\d\.\d\d\) at 0:1[45]\.\d in the original", newOut);
        Assert.Contains("1 new match(es)", newOut, StringComparison.Ordinal);

        // One excerpt, re-encoded to MP3: --json carries the offsets.
        var excerpt = dir.Combine("excerpt.mp3");
        await AudioFixtures.ExcerptAsync(Path.Combine(works, "waltz.wav"), excerpt, startSeconds: 6, seconds: 10);
        var (matchCode, matchOut, matchErr) = await cli.RunAsync("match", excerpt, "--json");
        Assert.True(matchCode == 0, matchErr);
        var match = Assert.Single(JsonDocument.Parse(matchOut).RootElement.GetProperty("matches").EnumerateArray());
        Assert.Equal(ids["waltz.wav"], match.GetProperty("workId").GetString());
        Assert.Equal("audio", match.GetProperty("kind").GetString());
        var evidence = match.GetProperty("evidence");
        Assert.InRange(evidence.GetProperty("originalStart").GetDouble() - evidence.GetProperty("queryStart").GetDouble(), 6 - 0.2, 6 + 0.2);
        Assert.True(evidence.TryGetProperty("pitch", out _));
        Assert.False(evidence.TryGetProperty("segments", out _));

        // A mix of both with a gap, and a corrupt file: people get readable lines and the timeline.
        var cut = AudioFixtures.SampleRate * 2;
        AudioFixtures.WriteWav(Path.Combine(suspects, "mix.wav"), waltz[cut..], AudioFixtures.Silence(6), reel[cut..]);
        File.Copy(excerpt, Path.Combine(suspects, "excerpt.mp3"));
        await File.WriteAllBytesAsync(Path.Combine(suspects, "broken.mp3"), [.. "ID3"u8, 4, 0, 0, 0, 0, 0, 0, .. new byte[4000].Select((_, i) => (byte)(i * 37))], ct);
        var (scanCode, scanOut, _) = await cli.RunAsync("scan", suspects);
        Assert.Equal(1, scanCode);
        var lines = scanOut.Split('\n', StringSplitOptions.TrimEntries);
        var excerptLine = Assert.Single(lines, l => l.Contains("excerpt.mp3", StringComparison.Ordinal));
        Assert.Matches(@"^partial\s+.*excerpt\.mp3 -> \S+ ""waltz"" \(\d\.\d\d\) at 0:0[56]\.\d in the original, 0:0\d\.\d–0:\d\d\.\d of the suspect, speed 100%, pitch \+0\.0 st$", excerptLine);
        Assert.Single(lines, l => l.StartsWith("failed", StringComparison.Ordinal) && l.Contains("broken.mp3", StringComparison.Ordinal));

        // The mix's timeline: the waltz from the start, the reel from 34 s (28 s + 6 s of silence).
        var timeline = lines.SkipWhile(l => !l.Contains("mix.wav", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.StartsWith("0:", StringComparison.Ordinal) || l.StartsWith("1:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, timeline.Count);
        Assert.Matches($@"^0:0\d\.\d–0:[23]\d\.\d\s+{ids["waltz.wav"]} ""waltz"" at 0:0\d\.\d–0:\d\d\.\d, speed 100%, pitch \+0\.0 st$", timeline[0]);
        Assert.Matches($@"^0:3\d\.\d–1:0\d\.\d\s+{ids["reel.wav"]} ""reel""", timeline[1]);
    }
}
