using Atelier.Media.Audio;
using Atelier.Testing;

namespace Atelier.Media.Tests.Audio;

public sealed class AudioBatchDecoderTests
{
    [Fact]
    public async Task Batch_gives_each_file_the_samples_the_single_decoder_gives_with_one_ffmpeg()
    {
        using var temp = new TempDirectory("batch");
        var files = Tones(temp);
        var (options, runs) = CountingFfmpeg(temp);

        var results = await AudioBatchDecoder.DecodeMonoAsync(files, 8000, 60, options, TestContext.Current.CancellationToken);

        Assert.Equal(1, runs());
        for (var i = 0; i < files.Length; i++)
        {
            Assert.Null(results[i].Error);
            var single = await AudioDecoder.DecodeMonoAsync(files[i].Path, 8000, 60, ct: TestContext.Current.CancellationToken);
            Assert.True(single.Length > 8000, $"{files[i].Path}: {single.Length} samples");
            Assert.Equal(single, results[i].Samples);
        }
    }

    [Fact]
    public async Task Bad_files_get_their_own_errors_and_the_others_their_samples()
    {
        using var temp = new TempDirectory("batch");
        var tones = Tones(temp);
        var corrupt = temp.Combine("broken.mp3");
        File.WriteAllBytes(corrupt, [.. Enumerable.Range(0, 5000).Select(i => (byte)((i * 7919) % 251))]);
        AudioDecodeRequest[] files =
        [
            tones[0],
            new(corrupt, "mp3"),
            tones[1],
            new(temp.Combine("missing.ogg"), "ogg"),
            new(tones[2].Path, null),
        ];

        var results = await AudioBatchDecoder.DecodeMonoAsync(files, 8000, 60, ct: TestContext.Current.CancellationToken);

        Assert.NotNull(results[1].Error);
        Assert.NotNull(results[3].Error);
        foreach (var i in new[] { 0, 2, 4 })
        {
            Assert.Null(results[i].Error);
            Assert.Equal(await AudioDecoder.DecodeMonoAsync(files[i].Path, 8000, 60, ct: TestContext.Current.CancellationToken), results[i].Samples);
        }
    }

    [Fact]
    public async Task Batch_stops_each_file_at_the_time_limit()
    {
        using var temp = new TempDirectory("batch");
        var files = Tones(temp);

        var results = await AudioBatchDecoder.DecodeMonoAsync(files, 8000, 1.5, ct: TestContext.Current.CancellationToken);

        for (var i = 0; i < files.Length; i++)
        {
            // The same samples; where each stops may differ by a few milliseconds (the output time limit counts
            // from a different origin when the file starts late, as MP3 does after its encoder delay).
            var single = await AudioDecoder.DecodeMonoAsync(files[i].Path, 8000, 1.5, ct: TestContext.Current.CancellationToken);
            var batch = results[i].Samples!;
            Assert.InRange(batch.Length, single.Length - 400, single.Length + 400);
            Assert.Equal(single.AsSpan(0, Math.Min(single.Length, batch.Length)).ToArray(), batch.AsSpan(0, Math.Min(single.Length, batch.Length)).ToArray());
        }
    }

    /// <summary>Three short tones, stereo and mono, under names a filter graph or an option parser would choke on.</summary>
    private static AudioDecodeRequest[] Tones(TempDirectory temp)
    {
        var stereo = temp.Combine("a b:c,'d'[1];x.mp3");
        TestFiles.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-f", "lavfi", "-i", "sine=frequency=660:duration=3", "-filter_complex", "[0][1]amerge=inputs=2", "-c:a", "libmp3lame", "file:" + stereo);
        var mono = temp.Combine("曲 2.flac");
        TestFiles.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=1000:duration=2:sample_rate=44100", mono);
        var dash = temp.Combine("-i x.wav");
        TestFiles.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=300:duration=2:sample_rate=22050", "-ac", "2", "file:" + dash);
        return [new(stereo, "mp3"), new(mono, "flac"), new(dash, "wav")];
    }

    /// <summary>Options whose ffmpeg is a wrapper counting its runs.</summary>
    private static (MediaOptions Options, Func<int> Runs) CountingFfmpeg(TempDirectory temp)
    {
        var ffmpeg = TestFiles.RequireTool("ffmpeg");
        var counter = temp.Combine("runs");
        var wrapper = temp.Combine("ffmpeg-wrapper");
        File.WriteAllText(wrapper, $"#!/bin/sh\necho run >> '{counter}'\nexec '{ffmpeg}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return (new MediaOptions { FfmpegPath = wrapper }, () => File.Exists(counter) ? File.ReadAllLines(counter).Length : 0);
    }
}
