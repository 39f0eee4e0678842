using Atelier.Fingerprints.Audio;

namespace Atelier.Fingerprints.Tests.Audio;

/// <summary>
/// The audio index on synthetic signals (no corpus needed): a seeded melody of harmonic notes over
/// noise, so every test runs on a user's clone.
/// </summary>
public sealed class AudioIndexTests
{
    private const int Rate = AudioFingerprinter.SampleRate;

    [Fact]
    public void Match_excerpt_of_an_indexed_melody_reports_work_and_offset()
    {
        var melodies = Enumerable.Range(1, 6).Select(seed => Melody(seed, 40)).ToArray();
        using var index = new AudioIndex();
        index.AddRange(melodies.Select((m, i) => new KeyValuePair<string, AudioFingerprint>($"w{i}", AudioFingerprinter.Compute(m))));

        var excerpt = melodies[3].AsSpan(12 * Rate, 8 * Rate).ToArray();
        var matches = index.Match(AudioFingerprinter.Compute(excerpt));

        var top = Assert.Single(matches);
        Assert.Equal("w3", top.WorkId);
        Assert.Equal(AudioMatchGrade.Partial, top.Grade);
        Assert.InRange(top.OriginalStart - (top.QueryStart * top.Speed), 11.8, 12.2);
        Assert.InRange(top.Speed, 0.99, 1.01);
    }

    [Fact]
    public void Match_sped_up_excerpt_grades_transformed_with_the_speed()
    {
        var melody = Melody(7, 40);
        using var index = new AudioIndex();
        index.Add("w", AudioFingerprinter.Compute(melody));

        // Resampling plays 5% faster: tempo and pitch together.
        var sped = new float[8 * Rate];
        for (var i = 0; i < sped.Length; i++)
        {
            var p = (10 * Rate) + (i * 1.05);
            var k = (int)p;
            sped[i] = (float)((melody[k] * (1 - (p - k))) + (melody[k + 1] * (p - k)));
        }

        var top = Assert.Single(index.Match(AudioFingerprinter.Compute(sped)));
        Assert.Equal(AudioMatchGrade.Transformed, top.Grade);
        Assert.InRange(top.Speed, 1.04, 1.06);
        Assert.InRange(top.Pitch, 1.04, 1.06);
    }

    [Fact]
    public void Match_unrelated_melody_finds_nothing()
    {
        using var index = new AudioIndex();
        index.AddRange(Enumerable.Range(1, 4).Select(seed => new KeyValuePair<string, AudioFingerprint>($"w{seed}", AudioFingerprinter.Compute(Melody(seed, 30)))));

        Assert.Empty(index.Match(AudioFingerprinter.Compute(Melody(99, 10))));
    }

    [Fact]
    public void Optimize_merges_the_segments_drops_removed_works_and_keeps_every_match()
    {
        var fingerprints = Enumerable.Range(1, 5).Select(seed => AudioFingerprinter.Compute(Melody(seed, 30))).ToArray();
        using var index = new AudioIndex();
        for (var i = 0; i < fingerprints.Length; i++)
        {
            // One at a time: several segments.
            index.Add($"w{i}", fingerprints[i]);
        }

        index.Remove("w1");
        var postings = index.Postings;
        var before = fingerprints.Select(f => index.Match(f.Slice(5, 15)).Select(m => (m.WorkId, m.OriginalStart, m.MatchedHashes)).ToArray()).ToArray();

        index.Optimize();

        Assert.True(index.Postings < postings, $"{index.Postings} postings after, {postings} before: the removed work's should be gone");
        Assert.Equal(4, index.Count);
        for (var i = 0; i < fingerprints.Length; i++)
        {
            Assert.Equal(before[i], index.Match(fingerprints[i].Slice(5, 15)).Select(m => (m.WorkId, m.OriginalStart, m.MatchedHashes)).ToArray());
        }

        Assert.Empty(index.Match(fingerprints[1].Slice(5, 15)));
        Assert.Equal("w3", index.Match(fingerprints[3].Slice(5, 15))[0].WorkId);
    }

    [Fact]
    public void Remove_drops_the_work_and_replacing_keeps_one_entry()
    {
        var a = AudioFingerprinter.Compute(Melody(1, 30));
        var b = AudioFingerprinter.Compute(Melody(2, 30));
        using var index = new AudioIndex();
        index.Add("a", a);
        index.Add("b", b);
        index.Add("b", b);
        Assert.Equal(2, index.Count);

        index.Remove("a");
        index.Remove("unknown");

        Assert.Equal(1, index.Count);
        Assert.Empty(index.Match(a.Slice(5, 15)));
        Assert.Equal("b", Assert.Single(index.Match(b.Slice(5, 15))).WorkId);
        Assert.InRange(index.IndexedSeconds, 29, 31);
    }

    [Fact]
    public void Scan_long_query_gives_a_timeline_in_order()
    {
        var a = Melody(3, 30);
        var b = Melody(4, 30);
        using var index = new AudioIndex();
        index.Add("a", AudioFingerprinter.Compute(a));
        index.Add("b", AudioFingerprinter.Compute(b));

        // 20 s of b (from 5 s), 10 s of unrelated music, 20 s of a (from 8 s).
        float[] mix = [.. b.AsSpan(5 * Rate, 20 * Rate), .. Melody(50, 10), .. a.AsSpan(8 * Rate, 20 * Rate)];
        var timeline = index.Scan(AudioFingerprinter.Compute(mix));

        Assert.Equal(["b", "a"], timeline.Select(m => m.WorkId));
        Assert.InRange(timeline[0].QueryStart, 0, 1);
        Assert.InRange(timeline[0].QueryEnd, 19, 21);
        Assert.InRange(timeline[1].QueryStart, 30, 31);
        Assert.InRange(timeline[1].QueryEnd, 49, 50.1);
        Assert.InRange(timeline[1].OriginalStart - ((timeline[1].QueryStart - 30) * timeline[1].Speed), 7.8, 8.2);
    }

    [Fact]
    public void Fingerprint_round_trips_and_corrupt_bytes_are_refused()
    {
        var fp = AudioFingerprinter.Compute(Melody(5, 12));
        var bytes = fp.ToBytes();
        var back = AudioFingerprint.FromBytes(bytes);

        Assert.Equal(fp.FrameCount, back.FrameCount);
        Assert.Equal(fp.Peaks.Length, back.Peaks.Length);
        Assert.Equal(fp.Digest(), back.Digest());

        // Exact: a fingerprint read back from the catalog matches the same as the one just computed.
        Assert.Equal(fp.Peaks.ToArray(), back.Peaks.ToArray());
        Assert.True(bytes.Length < fp.DurationSeconds * 400, $"{bytes.Length} bytes for {fp.DurationSeconds:F0} s");
        Assert.Throws<FormatException>(() => AudioFingerprint.FromBytes(bytes.AsSpan(0, bytes.Length - 2)));
        Assert.Throws<FormatException>(() => AudioFingerprint.FromBytes([.. bytes, 7]));
        Assert.Throws<FormatException>(() => AudioFingerprint.FromBytes("AFP0xxxx"u8));
    }

    [Fact]
    public void Compute_silence_and_empty_input_have_no_peaks()
    {
        Assert.Empty(AudioFingerprinter.Compute(new float[5 * Rate]).Peaks.ToArray());
        Assert.Equal(0, AudioFingerprinter.Compute([]).FrameCount);
    }

    // 8 and 16: scalar stages only; 64 and 1024 (the fingerprinter's): the vector stages and split as well.
    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(1024)]
    public void RealFft_power_equals_a_direct_dft(int length)
    {
        var fft = new RealFft(length);
        var rnd = new Random(3);
        var x = Enumerable.Range(0, length).Select(_ => (float)rnd.NextDouble() - 0.5f).ToArray();
        var power = new float[(length / 2) + 1];
        fft.Power(x, power);
        for (var k = 0; k <= length / 2; k++)
        {
            double re = 0, im = 0;
            for (var n = 0; n < length; n++)
            {
                re += x[n] * Math.Cos(2 * Math.PI * k * n / length);
                im -= x[n] * Math.Sin(2 * Math.PI * k * n / length);
            }

            var exact = (re * re) + (im * im);
            Assert.True(Math.Abs(exact - power[k]) <= 1e-4 * Math.Max(1, exact), $"bin {k}: {power[k]} against {exact}");
        }
    }

    [Fact]
    public void Decibels_approximation_is_within_a_hundredth_of_a_decibel()
    {
        foreach (var x in new[] { 1e-12f, 3e-7f, 0.001f, 0.5f, 1f, 1.7f, 1234.5f })
        {
            Assert.Equal(10 * Math.Log10(x), AudioFingerprinter.Decibels(x), 0.01);
        }
    }

    /// <summary>A seeded melody: harmonic notes of random pitch and length over quiet noise.</summary>
    private static float[] Melody(int seed, double seconds)
    {
        var rnd = new Random(seed);
        var samples = new float[(int)(seconds * Rate)];
        var at = 0;
        while (at < samples.Length)
        {
            var length = (int)(Rate * (0.15 + (rnd.NextDouble() * 0.35)));
            var f0 = 110 * Math.Pow(2, rnd.Next(0, 36) / 12.0);
            var second = 110 * Math.Pow(2, rnd.Next(0, 36) / 12.0);
            for (var i = 0; i < length && at + i < samples.Length; i++)
            {
                var t = (double)i / Rate;
                var envelope = Math.Exp(-3 * t) * Math.Min(1, i / 80.0);
                var v = 0.0;
                for (var h = 1; h <= 4; h++)
                {
                    v += Math.Sin(2 * Math.PI * f0 * h * t) / h;
                    v += 0.5 * Math.Sin(2 * Math.PI * second * h * t) / h;
                }

                samples[at + i] = (float)((0.2 * envelope * v) + (0.002 * (rnd.NextDouble() - 0.5)));
            }

            at += length;
        }

        return samples;
    }
}
