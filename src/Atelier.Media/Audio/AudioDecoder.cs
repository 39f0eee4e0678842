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
            "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1",
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

    /// <summary>Collects at most a fixed number of bytes, growing by doubling so short files stay small.</summary>
    private sealed class PcmBuffer(int maxBytes)
    {
        private byte[] _bytes = new byte[Math.Min(maxBytes, 1 << 20)];
        private int _length;

        public async Task FillAsync(Stream stdout, CancellationToken ct)
        {
            while (true)
            {
                if (_length == _bytes.Length)
                {
                    if (_length >= maxBytes)
                    {
                        // -t already bounds the output; should a few bytes more arrive, drop them rather than
                        // leave ffmpeg blocked on a full pipe.
                        await stdout.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
                        return;
                    }

                    Array.Resize(ref _bytes, (int)Math.Min((long)_bytes.Length * 2, maxBytes));
                }

                var read = await stdout.ReadAsync(_bytes.AsMemory(_length), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                _length += read;
            }
        }

        public float[] ToSamples()
        {
            if (BitConverter.IsLittleEndian)
            {
                // f32le is the machine's own layout: one block copy instead of a read per sample.
                return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(_bytes.AsSpan(0, _length - (_length % sizeof(float)))).ToArray();
            }

            var samples = new float[_length / sizeof(float)];
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = BinaryPrimitives.ReadSingleLittleEndian(_bytes.AsSpan(i * sizeof(float)));
            }

            return samples;
        }
    }
}
