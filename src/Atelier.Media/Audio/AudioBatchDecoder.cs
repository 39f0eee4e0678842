using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Atelier.Media.Audio;

/// <summary>One file for <see cref="AudioBatchDecoder"/>: its path and the demuxer ffprobe found for it.</summary>
/// <param name="Path">The file.</param>
/// <param name="Demuxer">
/// ffmpeg's demuxer name as <see cref="AudioProbe"/> reported it (the first of ffprobe's format names, for example
/// "ogg", "mp3", "mov", "matroska"). It is forced for the file, as the single-file decoder's format whitelist would
/// otherwise limit it; a file without one, or with one outside <see cref="FfmpegArguments.AllowedDemuxers"/>, is
/// decoded on its own.
/// </param>
public sealed record AudioDecodeRequest(string Path, string? Demuxer);

/// <summary>The outcome of one file of a batch: its samples, or why it could not be decoded.</summary>
public sealed record AudioDecodeResult(float[]? Samples, MediaException? Error);

/// <summary>
/// Decodes several audio files with one ffmpeg process, for imports of many files at once. Starting ffmpeg costs
/// about 50 ms of CPU on Debian 12 (the dynamic loader resolving 43,000 symbols over some 200 libraries), as much
/// as decoding three minutes of Vorbis, so a process per file spends half its time starting. ffmpeg's several
/// inputs (<c>-i a -i b</c>) cost more than they save (a demuxing thread and packet queue per input, measured
/// 30% more CPU for five files than five processes), but its <c>amovie</c> source filter demuxes and decodes
/// inside the filter graph on one thread: five files per process took 35% less CPU than one process each
/// (bench/Atelier.Bench.Audio, <c>speed</c>).
/// </summary>
/// <remarks>
/// Each file is reached through a symbolic link with a plain name in a private temporary folder, so no file name,
/// however hostile, is ever parsed by the filter graph; each output goes to a file in the same folder, bounded by
/// <c>-t</c> and <c>-fs</c>. The demuxer is forced per file (no probing, so no playlist or script demuxer can open
/// other files). When ffmpeg fails, the batch falls back to one process per file, so a bad file gets its own error
/// and never costs the others theirs. The samples are the same bits as <see cref="AudioDecoder.DecodeMonoAsync"/>
/// gives for the same file (same decoder, and one resampler doing the down-mix and rate together, as ffmpeg sets one up for
/// <c>-ac 1 -ar</c>), except that <c>amovie</c> reads a file's
/// best audio stream where the single-file decoder reads its first: the same stream in any file with one.
/// </remarks>
public static partial class AudioBatchDecoder
{
    /// <summary>Files per ffmpeg process: the saving levels off past five or so.</summary>
    public const int MaxBatch = 8;

    /// <summary>
    /// Decodes every file, as <see cref="AudioDecoder.DecodeMonoAsync"/> would, in batches of up to
    /// <see cref="MaxBatch"/>; results in input order. Never throws for a bad file: its result holds the error.
    /// </summary>
    public static async Task<IReadOnlyList<AudioDecodeResult>> DecodeMonoAsync(
        IReadOnlyList<AudioDecodeRequest> files, int sampleRate, double maxSeconds, MediaOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        options ??= MediaOptions.Default;
        var results = new AudioDecodeResult[files.Count];
        var batchable = new List<int>();
        for (var i = 0; i < files.Count; i++)
        {
            if (CanBatch(files[i]))
            {
                batchable.Add(i);
            }
            else
            {
                results[i] = await SingleAsync(files[i].Path, sampleRate, maxSeconds, options, ct).ConfigureAwait(false);
            }
        }

        foreach (var chunk in batchable.Chunk(MaxBatch))
        {
            var decoded = chunk.Length == 1 ? null : await BatchAsync([.. chunk.Select(i => files[i].Path)], [.. chunk.Select(i => files[i].Demuxer!)], sampleRate, maxSeconds, options, ct).ConfigureAwait(false);
            for (var k = 0; k < chunk.Length; k++)
            {
                results[chunk[k]] = decoded is null
                    ? await SingleAsync(files[chunk[k]].Path, sampleRate, maxSeconds, options, ct).ConfigureAwait(false)
                    : new AudioDecodeResult(decoded[k], null);
            }
        }

        return results;
    }

    private static readonly HashSet<string> s_allowedDemuxers = [.. FfmpegArguments.AllowedDemuxers.Split(',')];

    private static bool CanBatch(AudioDecodeRequest file) => file.Demuxer is { } demuxer && s_allowedDemuxers.Contains(demuxer);

    private static async Task<AudioDecodeResult> SingleAsync(string path, int sampleRate, double maxSeconds, MediaOptions options, CancellationToken ct)
    {
        try
        {
            return new AudioDecodeResult(await AudioDecoder.DecodeMonoAsync(path, sampleRate, maxSeconds, options, ct).ConfigureAwait(false), null);
        }
        catch (MediaException ex)
        {
            return new AudioDecodeResult(null, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new AudioDecodeResult(null, new MediaException(MediaErrorCode.Unreadable, "unreadable: " + ex.Message, ex));
        }
    }

    /// <summary>One ffmpeg for the files; null when it failed in any way (the caller then decodes them one by one).</summary>
    private static async Task<float[][]?> BatchAsync(string[] paths, string[] demuxers, int sampleRate, double maxSeconds, MediaOptions options, CancellationToken ct)
    {
        var maxSamples = (long)Math.Ceiling(maxSeconds * sampleRate);
        var maxBytes = maxSamples * sizeof(float);
        if (maxBytes > options.MaxDecodeMemoryBytes || maxBytes > Array.MaxLength)
        {
            // Let the single-file decoder give its clear error.
            return null;
        }

        DirectoryInfo folder;
        try
        {
            folder = Directory.CreateTempSubdirectory("atelier-decode-");
        }
        catch (IOException)
        {
            return null;
        }

        try
        {
            if (!SafeFolder().IsMatch(folder.FullName))
            {
                // A TMPDIR with characters the filter graph would read as syntax: decode one by one.
                return null;
            }

            var graph = new List<string>();
            var arguments = new List<string> { "-nostdin", "-hide_banner", "-v", "error" };
            var outputs = new List<string>();
            var seconds = maxSeconds.ToString("R", CultureInfo.InvariantCulture);
            var rate = sampleRate.ToString(CultureInfo.InvariantCulture);
            for (var i = 0; i < paths.Length; i++)
            {
                var link = Path.Combine(folder.FullName, $"in{i}");
                File.CreateSymbolicLink(link, Path.GetFullPath(paths[i]));
                // The same format request as "-ac 1 -ar N -c:a pcm_f32le" makes: one auto-inserted resampler converts.
                graph.Add($"amovie=filename={link}:f={demuxers[i]},aformat=sample_fmts=flt:sample_rates={rate}:channel_layouts=mono[o{i}]");
                var output = Path.Combine(folder.FullName, $"out{i}.f32");
                outputs.Add(output);
            }

            arguments.AddRange(["-filter_complex", string.Join(';', graph)]);
            for (var i = 0; i < paths.Length; i++)
            {
                arguments.AddRange(
                [
                    "-map", $"[o{i}]", "-t", seconds, "-fs", maxBytes.ToString(CultureInfo.InvariantCulture),
                    "-c:a", "pcm_f32le", "-flush_packets", "0", "-f", "f32le", "file:" + outputs[i],
                ]);
            }

            var timeout = options.ToolTimeout * paths.Length;
            var result = await ToolRunner.RunAsync(options.FfmpegPath, arguments, (stdout, token) => stdout.CopyToAsync(Stream.Null, token), timeout, ct).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                return null;
            }

            var samples = new float[paths.Length][];
            for (var i = 0; i < paths.Length; i++)
            {
                samples[i] = ReadSamples(outputs[i], maxBytes);
            }

            return samples;
        }
        catch (MediaException ex) when (ex.Code != MediaErrorCode.ToolMissing)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        finally
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temporary folder is harmless.
            }
        }
    }

    private static float[] ReadSamples(string path, long maxBytes)
    {
        using var handle = File.OpenHandle(path);
        var length = RandomAccess.GetLength(handle);
        if (length > maxBytes)
        {
            throw new IOException("decoded output over the size limit");
        }

        var samples = new float[length / sizeof(float)];
        var bytes = MemoryMarshal.AsBytes(samples.AsSpan());
        var offset = 0;
        while (offset < bytes.Length)
        {
            var read = RandomAccess.Read(handle, bytes[offset..], offset);
            if (read == 0)
            {
                throw new IOException("decoded output shorter than its length");
            }

            offset += read;
        }

        return AudioDecoder.FromLittleEndian(samples);
    }

    /// <summary>Characters that mean nothing to ffmpeg's filter graph and option parser.</summary>
    [GeneratedRegex("^[A-Za-z0-9/._-]+$")]
    private static partial Regex SafeFolder();
}
