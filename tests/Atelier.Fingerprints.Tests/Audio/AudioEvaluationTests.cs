using Atelier.Fingerprints.Audio;
using Atelier.Media.Audio;
using Atelier.Testing;

namespace Atelier.Fingerprints.Tests.Audio;

/// <summary>
/// The acceptance evaluation of issue 5 on ../shared/data/audio/dev: excerpts of indexed tracks under 15
/// degradations, excerpts of held-out tracks, and a long mix scanned into a timeline. The fixtures are
/// generated on first use (about 2.5 min on 2 cores) and cached (see <see cref="AudioFixtures.DefaultDirectory"/>);
/// so are the indexed tracks' fingerprints, per build of Atelier.Fingerprints.
/// </summary>
[Trait("Category", "Slow")]
public sealed class AudioEvaluationTests(ITestOutputHelper output)
{
    private const string DevData = "data/audio/dev";

    [Fact]
    public async Task Evaluate_dev_corpus_meets_the_identification_and_false_match_targets()
    {
        var dev = RequireCorpusAndTools();
        var set = await AudioFixtures.EnsureAsync(dev, ct: TestContext.Current.CancellationToken);
        var report = await AudioEvaluation.RunAsync(set, ct: TestContext.Current.CancellationToken);
        output.WriteLine(report.ToTable());

        var misses = report.Conditions
            .Where(c => c.Rate < AudioEvaluationReport.Target(c))
            .Select(c => $"{c.Condition} {c.Length:0} s: {c.Identified}/{c.Queries} = {c.Rate:F3} < {AudioEvaluationReport.Target(c):F2}")
            .ToList();
        Assert.True(misses.Count == 0, "below issue 5's identification targets:\n" + string.Join('\n', misses));
        Assert.All(report.Conditions, c => Assert.True(c.Queries >= 30, $"{c.Condition} {c.Length} s has only {c.Queries} queries"));

        var unrelated = report.Unrelated.Sum(u => u.Queries);
        var falseIds = report.Unrelated.Sum(u => u.FalseIdentifications);
        Assert.True(unrelated >= 60, $"only {unrelated} unrelated excerpts");
        Assert.True(falseIds <= 0.01 * unrelated, $"{falseIds}/{unrelated} unrelated excerpts matched (target <= 1%)");

        foreach (var c in report.Conditions)
        {
            // AudioMatchGrade calls a match transformed when speed or pitch is off 1 by more than 1%, so the
            // estimates must be that close for the grades to mean anything.
            Assert.True(Math.Abs(c.MedianSpeed - c.TrueSpeed) <= 0.01 * c.TrueSpeed, $"{c.Condition} {c.Length:0} s: median speed {c.MedianSpeed:F4}, truth {c.TrueSpeed:F4}");
            Assert.True(Math.Abs(c.MedianPitch - c.TruePitch) <= 0.01 * c.TruePitch, $"{c.Condition} {c.Length:0} s: median pitch {c.MedianPitch:F4}, truth {c.TruePitch:F4}");

            // Excerpts at their own speed and pitch are partial; the others transformed. A small share may fall
            // either side when an estimate lands near the 1% boundary.
            var expected = c.Group == AudioCondition.Scale ? nameof(AudioMatchGrade.Transformed) : nameof(AudioMatchGrade.Partial);
            Assert.True(c.Grades.GetValueOrDefault(expected) >= 0.9 * c.RightTrack, $"{c.Condition} {c.Length:0} s: grades {string.Join(", ", c.Grades)}, expected mostly {expected}");
        }
    }

    [Fact]
    public async Task Scan_long_mix_finds_each_registered_part_from_and_to_within_a_second()
    {
        var dev = RequireCorpusAndTools();
        var ct = TestContext.Current.CancellationToken;
        var set = AudioFixtures.TracksOnly(dev);
        using var temp = new TempDirectory("atelier-audio-mix");
        var (mixPath, expected) = await BuildMixAsync(set, temp, seed: 11, ct);

        using var index = await AudioEvaluation.BuildIndexAsync(set, ct);
        var samples = await AudioDecoder.DecodeMonoAsync(mixPath, AudioFingerprinter.SampleRate, AudioEvaluation.MaxSeconds, ct: ct);
        var timeline = index.Scan(AudioFingerprinter.Compute(samples));
        foreach (var m in timeline)
        {
            output.WriteLine($"{m.QueryStart,7:F2}-{m.QueryEnd,7:F2} s  {m.WorkId} from {m.OriginalStart:F2} s, {m.Grade}, score {m.Score:F3}, speed {m.Speed:F3}");
        }

        foreach (var part in expected)
        {
            output.WriteLine($"expected {part.Start,7:F2}-{part.End,7:F2} s  {part.Work} from {part.Offset:F2} s");
        }

        Assert.Equal(expected.Select(p => p.Work), timeline.Select(m => m.WorkId));
        foreach (var (part, found) in expected.Zip(timeline))
        {
            Assert.InRange(found.QueryStart, part.Start - 1, part.Start + 1);
            Assert.InRange(found.QueryEnd, part.End - 1, part.End + 1);
            Assert.InRange(found.OriginalStart, part.Offset - 1, part.Offset + 1);
        }
    }

    private sealed record MixPart(string Work, double Start, double End, double Offset);

    /// <summary>
    /// Four parts (25–40 s) of indexed tracks, each preceded by 10–20 s of a held-out track and the last one
    /// followed by another, concatenated by sox into one WAV. Parts are redrawn until no half second is near silent,
    /// so every second of a registered part can be found.
    /// </summary>
    private static async Task<(string Path, List<MixPart> Parts)> BuildMixAsync(AudioFixtureSet set, TempDirectory temp, int seed, CancellationToken ct)
    {
        var random = new Random(seed);
        var indexed = set.IndexedTracks.ToArray();
        var heldOut = set.Tracks.Where(t => !t.Indexed).ToArray();
        random.Shuffle(indexed);
        random.Shuffle(heldOut);
        var files = new List<string>();
        var parts = new List<MixPart>();
        var position = 0.0;
        for (var i = 0; i <= 4; i++)
        {
            var (gap, _) = await CutAsync(set, heldOut[i], 10 + (random.NextDouble() * 10), random, temp, files, ct);
            position += gap;
            if (i == 4)
            {
                break;
            }

            var (length, offset) = await CutAsync(set, indexed[i], 25 + (random.NextDouble() * 15), random, temp, files, ct);
            parts.Add(new MixPart(indexed[i].File, position, position + length, offset));
            position += length;
        }

        var mix = temp.Combine("mix.wav");
        await AudioTools.RunAsync("sox", ["-V1", .. files, mix], ct);
        return (mix, parts);
    }

    private static async Task<(double Length, double Offset)> CutAsync(
        AudioFixtureSet set, AudioFixtureTrack track, double seconds, Random random, TempDirectory temp, List<string> files, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var offset = Math.Round(random.NextDouble() * (track.Duration - seconds - 1), 3);
            var samples = await AudioTools.DecodeAsync(set.PathOf(track), offset, seconds, AudioFixtures.QuerySampleRate, ct);
            if (AudioFixtures.IsAudible(samples, share: 1.0))
            {
                var file = temp.Combine($"part{files.Count}.wav");
                AudioTools.WriteWav(file, samples, AudioFixtures.QuerySampleRate);
                files.Add(file);
                return ((double)samples.Length / AudioFixtures.QuerySampleRate, offset);
            }
        }

        throw new InvalidOperationException($"{track.File}: no audible {seconds:F1} s stretch in 20 tries");
    }

    private static string RequireCorpusAndTools()
    {
        var dev = SharedData.RequireDirectory(DevData);
        if (AudioFixtures.FindMissingTool() is { } missing)
        {
            Assert.Skip($"{missing} is not installed: the audio evaluation builds its queries with sox and ffmpeg (apt-get install sox libsox-fmt-all ffmpeg)");
        }

        return dev;
    }
}
