using Atelier.Media.Audio;
using Atelier.Testing;

namespace Atelier.Media.Tests.Audio;

public sealed class AudioDecoderTests
{
    [Fact]
    public async Task DecodeMonoAsync_dev_track_yields_requested_seconds_of_signal()
    {
        TestFiles.RequireTool("ffmpeg");
        var path = TestFiles.Shared(TestFiles.SampleOgg);

        var samples = await AudioDecoder.DecodeMonoAsync(path, 11025, 3.0, ct: TestContext.Current.CancellationToken);

        Assert.InRange(samples.Length, 33_075 - 64, 33_075);
        var rms = Math.Sqrt(samples.Average(s => (double)s * s));
        Assert.True(rms > 0.005, $"rms {rms}: decoded silence");
        Assert.All(samples, s => Assert.InRange(s, -1.5f, 1.5f));
    }

    [Fact]
    public async Task DecodeMonoAsync_stops_at_end_of_short_file()
    {
        TestFiles.RequireTool("ffmpeg");
        var path = TestFiles.Shared(TestFiles.SampleOgg);

        var samples = await AudioDecoder.DecodeMonoAsync(path, 8000, 600, ct: TestContext.Current.CancellationToken);

        Assert.Equal(TestFiles.SampleOggSeconds * 8000, samples.Length, 8000 * 0.05);
    }

    [Fact]
    public async Task DecodeMonoAsync_sine_is_decoded_at_the_right_frequency()
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("tone.wav");
        TestFiles.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=1000:duration=1:sample_rate=44100", path);

        var samples = await AudioDecoder.DecodeMonoAsync(path, 8000, 1, ct: TestContext.Current.CancellationToken);

        // 1 kHz at 8 kHz: 8 samples per period, so ~2000 zero crossings in a second.
        var crossings = samples.Zip(samples.Skip(1)).Count(pair => Math.Sign(pair.First) != Math.Sign(pair.Second));
        Assert.InRange(crossings, 1900, 2100);
    }

    [Fact]
    public async Task DecodeMonoAsync_over_memory_limit_is_refused_before_running()
    {
        var options = new MediaOptions { MaxDecodeMemoryBytes = 1000, FfmpegPath = "/nonexistent/ffmpeg" };

        var error = await Assert.ThrowsAsync<MediaException>(
            () => AudioDecoder.DecodeMonoAsync("/nonexistent/file.ogg", 8000, 10, options, TestContext.Current.CancellationToken));

        Assert.Equal(MediaErrorCode.LimitExceeded, error.Code);
    }

    [Fact]
    public async Task DecodeMonoAsync_non_audio_is_refused()
    {
        TestFiles.RequireTool("ffmpeg");
        var path = TestFiles.Shared(TestFiles.SamplePng);

        var error = await Assert.ThrowsAsync<MediaException>(
            () => AudioDecoder.DecodeMonoAsync(path, 8000, 1, ct: TestContext.Current.CancellationToken));

        Assert.True(error.Code is MediaErrorCode.Corrupt or MediaErrorCode.Unsupported, error.Code.ToString());
    }

    [Fact]
    public async Task DecodeMonoAsync_missing_ffmpeg_is_tool_missing()
    {
        var options = new MediaOptions { FfmpegPath = "/nonexistent/ffmpeg" };

        var error = await Assert.ThrowsAsync<MediaException>(
            () => AudioDecoder.DecodeMonoAsync(TestFiles.Shared(TestFiles.SampleOgg), 8000, 1, options, TestContext.Current.CancellationToken));

        Assert.Equal(MediaErrorCode.ToolMissing, error.Code);
    }

    [Fact]
    public async Task DecodeMonoAsync_cancellation_stops_the_decode()
    {
        TestFiles.RequireTool("ffmpeg");
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => AudioDecoder.DecodeMonoAsync(TestFiles.Shared(TestFiles.SampleOgg), 8000, 60, ct: cancel.Token));
    }
}
