using System.Globalization;
using Atelier.Core;
using Atelier.Testing;

namespace Atelier.Media.Tests.Audio;

public sealed class AudioProbeTests
{
    /// <summary>The first track of each dev folder with its duration from MANIFEST.tsv.</summary>
    public static TheoryData<string, double> DevTracks()
    {
        var data = new TheoryData<string, double>();
        var rows = TestFiles.ManifestRows(TestFiles.AudioDev);
        if (rows is null)
        {
            data.Add("(shared data missing)", 0);
            return data;
        }

        foreach (var group in rows.GroupBy(row => row[0].Split('/')[0]))
        {
            var row = group.First();
            data.Add(row[0], double.Parse(row[1], CultureInfo.InvariantCulture));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DevTracks))]
    public async Task InspectAsync_dev_track_reports_duration_rate_and_channels(string relative, double seconds)
    {
        TestFiles.RequireTool("ffprobe");
        var path = Path.Combine(TestFiles.Shared(TestFiles.AudioDev), relative);

        var result = await TestFiles.Inspector().InspectAsync(path, Path.GetFileName(relative), TestContext.Current.CancellationToken);

        Assert.Equal(MediaKind.Audio, result.Kind);
        Assert.Equal("audio/ogg", result.MediaType);
        var audio = result.Metadata.Audio!;
        Assert.Equal(seconds, audio.DurationSeconds, 0.05);
        Assert.Equal(22050, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        Assert.Equal("vorbis", audio.Codec);
        Assert.Equal("ogg", audio.Container);
        Assert.InRange(audio.BitRate ?? 0, 8_000, 320_000);
        Assert.All(audio.Tags.Keys, key => Assert.Equal(key.ToLowerInvariant(), key));
    }

    [Fact]
    public async Task InspectAsync_synthesised_wav_and_flac_without_extension_are_recognised_by_signature()
    {
        TestFiles.RequireTool("ffprobe");
        using var temp = new TempDirectory("media");
        var wav = temp.Combine("tone-wav");
        var flac = temp.Combine("tone-flac");
        TestFiles.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1.5:sample_rate=44100", "-ac", "2", "-f", "wav", wav);
        TestFiles.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1.5:sample_rate=48000", "-metadata", "TITLE=Tone 音", "-f", "flac", flac);

        var wavResult = await TestFiles.Inspector().InspectAsync(wav, "tone", TestContext.Current.CancellationToken);
        var flacResult = await TestFiles.Inspector().InspectAsync(flac, "tone", TestContext.Current.CancellationToken);

        Assert.Equal("audio/wav", wavResult.MediaType);
        Assert.Equal((1.5, 44100, 2), (Math.Round(wavResult.Metadata.Audio!.DurationSeconds, 2), wavResult.Metadata.Audio.SampleRate, wavResult.Metadata.Audio.Channels));
        Assert.Equal("pcm_s16le", wavResult.Metadata.Audio.Codec);
        Assert.Equal("audio/flac", flacResult.MediaType);
        Assert.Equal(48000, flacResult.Metadata.Audio!.SampleRate);
        Assert.Equal("Tone 音", flacResult.Metadata.Audio.Tags["title"]);
    }

    [Fact]
    public async Task InspectAsync_video_is_unsupported()
    {
        TestFiles.RequireTool("ffprobe");
        using var temp = new TempDirectory("media");
        var path = temp.Combine("clip.mp4");
        TestFiles.Ffmpeg("-f", "lavfi", "-i", "testsrc=duration=1:size=64x64:rate=10", "-f", "lavfi", "-i", "sine=duration=1", "-c:v", "mpeg4", "-c:a", "aac", "-shortest", path);

        var error = await Assert.ThrowsAsync<MediaException>(() => TestFiles.Inspector().InspectAsync(path, "clip.mp4", TestContext.Current.CancellationToken));

        Assert.Equal(MediaErrorCode.Unsupported, error.Code);
        Assert.Contains("video", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAsync_text_named_mp3_is_corrupt_with_ffprobe_reason()
    {
        TestFiles.RequireTool("ffprobe");

        var error = await TestFiles.RefusalAsync("this is not audio at all, just words"u8.ToArray(), "song.mp3");

        Assert.Equal(MediaErrorCode.Corrupt, error.Code);
        Assert.StartsWith("corrupt audio: ffprobe cannot read it (", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAsync_missing_ffprobe_is_tool_missing_with_install_advice()
    {
        var options = new MediaOptions { FfprobePath = "/nonexistent/bin/ffprobe" };

        var error = await Assert.ThrowsAsync<MediaException>(
            () => TestFiles.Inspector(options).InspectAsync(TestFiles.Shared(TestFiles.SampleOgg), "a.ogg", TestContext.Current.CancellationToken));

        Assert.Equal(MediaErrorCode.ToolMissing, error.Code);
        Assert.Contains("install ffmpeg", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAsync_hanging_tool_is_killed_at_timeout()
    {
        using var temp = new TempDirectory("media");
        var script = temp.Combine("slow-ffprobe");
        var marker = temp.Combine("child.pid");
        // The script leaves a child (sleep) behind: the timeout must kill the whole tree.
        await File.WriteAllTextAsync(script, $"#!/bin/sh\nsleep 30 &\necho $! > '{marker}'\nwait\n", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = new MediaOptions { FfprobePath = script, ToolTimeout = TimeSpan.FromMilliseconds(500) };
        var started = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<MediaException>(
            () => TestFiles.Inspector(options).InspectAsync(TestFiles.Shared(TestFiles.SampleOgg), "a.ogg", TestContext.Current.CancellationToken));

        Assert.Equal(MediaErrorCode.Timeout, error.Code);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
        var child = int.Parse((await File.ReadAllTextAsync(marker, TestContext.Current.CancellationToken)).Trim(), CultureInfo.InvariantCulture);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(Directory.Exists($"/proc/{child}") && !File.ReadAllText($"/proc/{child}/stat").Contains(") Z ", StringComparison.Ordinal), "the tool's child process survived");
    }

    [Fact]
    public async Task InspectAsync_ffprobe_output_over_cap_is_limit_exceeded()
    {
        TestFiles.RequireTool("ffprobe");
        var options = new MediaOptions { MaxToolOutputBytes = 200 };

        var error = await Assert.ThrowsAsync<MediaException>(
            () => TestFiles.Inspector(options).InspectAsync(TestFiles.Shared(TestFiles.SampleOgg), "a.ogg", TestContext.Current.CancellationToken));

        Assert.Equal(MediaErrorCode.LimitExceeded, error.Code);
        Assert.Contains("MaxToolOutputBytes", error.Message, StringComparison.Ordinal);
    }
}
