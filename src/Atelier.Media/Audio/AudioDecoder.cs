using System.Buffers.Binary;
using System.Globalization;

namespace Atelier.Media.Audio;

/// <summary>Decodes audio to mono float PCM with ffmpeg, for fingerprinting.</summary>
public static class AudioDecoder
{
    /// <summary>
    /// Decodes the first audio stream of <paramref name="path"/>, down-mixed to mono and resampled to
    /// <paramref name="sampleRate"/>, at most <paramref name="maxSeconds"/> seconds from the start.
    /// ffmpeg streams raw little-endian 32-bit floats (<c>-f f32le</c>) to a pipe that is read into the result.
    /// </summary>
    /// <returns>Samples in -1..1 (ffmpeg does not clip floats: loud masters may slightly exceed it).</returns>
    /// <exception cref="MediaException">No audio stream, corrupt data, over the decode memory limit, ffmpeg missing or too slow.</exception>
    public static async Task<float[]> DecodeMonoAsync(
        string path, int sampleRate, double maxSeconds, MediaOptions? options = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRate, 384_000);
        if (!double.IsFinite(maxSeconds) || maxSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxSeconds), maxSeconds, "must be a positive number of seconds");
        }

        options ??= MediaOptions.Default;
        var maxSamples = (long)Math.Ceiling(maxSeconds * sampleRate);
        var maxBytes = maxSamples * sizeof(float);
        if (maxBytes > options.MaxDecodeMemoryBytes || maxBytes > Array.MaxLength)
        {
            throw new MediaException(
                MediaErrorCode.LimitExceeded,
                $"audio decode too large: {maxSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s at {sampleRate} Hz needs {maxBytes} bytes, over MaxDecodeMemoryBytes ({options.MaxDecodeMemoryBytes})");
        }

        MediaFile.GetLength(path);
        var arguments = new List<string> { "-nostdin", "-hide_banner", "-v", "error" };
        arguments.AddRange(FfmpegArguments.InputOptions(path));
        arguments.AddRange(
        [
            "-t", maxSeconds.ToString("R", CultureInfo.InvariantCulture),
            "-map", "0:a:0", "-vn", "-sn", "-dn",
            "-ac", "1", "-ar", sampleRate.ToString(CultureInfo.InvariantCulture),
            "-c:a", "pcm_f32le", "-flush_packets", "0", "-f", "f32le", "pipe:1",
        ]);

        var pcm = new PcmBuffer((int)maxBytes);
        var result = await ToolRunner.RunAsync(options.FfmpegPath, arguments, pcm.FillAsync, options.ToolTimeout, ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            if (result.StandardError.Contains("matches no streams", StringComparison.Ordinal))
            {
                throw new MediaException(MediaErrorCode.Unsupported, "unsupported file type: the file has no audio stream");
            }

            throw AudioProbe.ToolFailure("ffmpeg", result, path);
        }

        return pcm.ToSamples();
    }

    /// <summary>Samples read as raw f32le bytes, put in this machine's byte order (in place; returned for chaining).</summary>
    internal static float[] FromLittleEndian(float[] samples)
    {
        if (!BitConverter.IsLittleEndian)
        {
            var words = System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(samples.AsSpan());
            BinaryPrimitives.ReverseEndianness(words, words);
        }

        return samples;
    }

    /// <summary>
    /// Collects at most a fixed number of bytes straight into a float array, growing by doubling so short files
    /// stay small. The pipe is read with blocking reads on a thread of its own: ffmpeg writes 32 KB at a time
    /// (<c>-flush_packets 0</c>), and an asynchronous read per block cost several times the CPU of a blocking
    /// one (bench/Atelier.Bench.Audio, <c>speed</c>). A timeout or cancellation kills ffmpeg, which ends the read.
    /// </summary>
    private sealed class PcmBuffer(int maxBytes)
    {
        private float[] _samples = new float[Math.Min(maxBytes, 1 << 20) / sizeof(float)];
        private int _length;

        public Task FillAsync(Stream stdout, CancellationToken ct) =>
            Task.Factory.StartNew(() => Fill(stdout, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        private void Fill(Stream stdout, CancellationToken ct)
        {
            var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(_samples.AsSpan());
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                if (_length == bytes.Length)
                {
                    if (_length >= maxBytes)
                    {
                        // -t already bounds the output; should a few bytes more arrive, drop them rather than
                        // leave ffmpeg blocked on a full pipe.
                        stdout.CopyTo(Stream.Null);
                        return;
                    }

                    Array.Resize(ref _samples, (int)(Math.Min((long)bytes.Length * 2, maxBytes) / sizeof(float)));
                    bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(_samples.AsSpan());
                }

                var read = stdout.Read(bytes[_length..]);
                if (read == 0)
                {
                    return;
                }

                _length += read;
            }
        }

        public float[] ToSamples() => FromLittleEndian(_samples.AsSpan(0, _length / sizeof(float)).ToArray());
    }
}
