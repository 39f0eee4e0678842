using System.Globalization;
using System.Text.Json;
using Atelier.Core;

namespace Atelier.Media.Audio;

/// <summary>
/// Confirms a file is audio and reads its facts with ffprobe (<c>-show_format -show_streams</c> JSON, as
/// documented in ffprobe(1) "Writers"). Numbers arrive as JSON strings there, so they are parsed leniently.
/// </summary>
public static class AudioProbe
{
    /// <summary>Tag values longer than this are cut (lyrics, embedded cue sheets); at most <see cref="MaxTags"/> tags are kept.</summary>
    private const int MaxTagValueChars = 4096;

    private const int MaxTags = 100;

    /// <summary>Runs ffprobe on <paramref name="path"/> and returns the media type and facts of its first audio stream.</summary>
    /// <param name="path">A local file.</param>
    /// <param name="extensionHint">The original name's extension (".weba"), used only to name WebM audio.</param>
    /// <param name="options">Tool paths and limits; null for the defaults.</param>
    /// <param name="ct">Cancels and kills ffprobe.</param>
    /// <exception cref="MediaException">No audio stream, a video, corrupt data, ffprobe missing or too slow.</exception>
    public static async Task<(string MediaType, AudioMetadata Metadata)> ProbeAsync(
        string path, string? extensionHint = null, MediaOptions? options = null, CancellationToken ct = default)
    {
        options ??= MediaOptions.Default;
        MediaFile.GetLength(path);
        using var output = new MemoryStream();
        var arguments = new List<string> { "-v", "error", "-print_format", "json", "-show_format", "-show_streams" };
        arguments.AddRange(FfmpegArguments.InputOptions(path));

        var result = await ToolRunner.RunAsync(
            options.FfprobePath,
            arguments,
            (stdout, token) => CopyCappedAsync(stdout, output, options.MaxToolOutputBytes, token),
            options.ToolTimeout,
            ct).ConfigureAwait(false);

        if (result.ExitCode != 0)
        {
            throw ToolFailure("ffprobe", result, path);
        }

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(output.ToArray());
        }
        catch (JsonException ex)
        {
            throw new MediaException(MediaErrorCode.Corrupt, "corrupt audio: ffprobe's report could not be parsed", ex);
        }

        using (json)
        {
            return Interpret(json.RootElement, extensionHint);
        }
    }

    /// <summary>A failed ffprobe/ffmpeg run as a user-facing reason, from its first stderr line.</summary>
    internal static MediaException ToolFailure(string tool, ToolResult result, string path)
    {
        var reason = ToolRunner.FirstErrorLine(result.StandardError, path, $"{tool} exited with code {result.ExitCode}");
        return reason.Contains("not on whitelist", StringComparison.Ordinal)
            ? new MediaException(MediaErrorCode.Unsupported, "unsupported file type: a container format this build does not accept")
            : new MediaException(MediaErrorCode.Corrupt, $"corrupt audio: {tool} cannot read it ({reason})");
    }

    private static async Task CopyCappedAsync(Stream source, MemoryStream destination, int maxBytes, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            if (destination.Length + read > maxBytes)
            {
                throw new MediaException(MediaErrorCode.LimitExceeded, $"audio metadata too large: ffprobe's report exceeds {maxBytes} bytes (MaxToolOutputBytes)");
            }

            destination.Write(buffer, 0, read);
        }
    }

    private static (string MediaType, AudioMetadata Metadata) Interpret(JsonElement root, string? extensionHint)
    {
        var format = root.TryGetProperty("format", out var f) ? f : default;
        var streams = root.TryGetProperty("streams", out var s) && s.ValueKind == JsonValueKind.Array ? s.EnumerateArray().ToList() : [];

        // Cover art in MP3/M4A/FLAC shows up as a video stream flagged attached_pic; real video does not.
        var video = streams.FirstOrDefault(stream => Text(stream, "codec_type") == "video" && !IsAttachedPicture(stream));
        if (video.ValueKind == JsonValueKind.Object)
        {
            throw new MediaException(MediaErrorCode.Unsupported, $"unsupported file type: a video ({Text(video, "codec_name") ?? "unknown"} video stream); only audio, images and text are accepted");
        }

        var audio = streams.FirstOrDefault(stream => Text(stream, "codec_type") == "audio");
        if (audio.ValueKind != JsonValueKind.Object)
        {
            throw new MediaException(MediaErrorCode.Unsupported, "unsupported file type: the file has no audio stream");
        }

        var formatName = Text(format, "format_name") ?? string.Empty;
        var (container, mediaType) = Container(formatName, extensionHint);
        var duration = Number(format, "duration") ?? Number(audio, "duration");
        if (duration is not > 0)
        {
            throw new MediaException(MediaErrorCode.Corrupt, "corrupt audio: ffprobe finds no duration (no decodable audio frames)");
        }

        var metadata = new AudioMetadata
        {
            DurationSeconds = duration.Value,
            SampleRate = (int?)Number(audio, "sample_rate"),
            Channels = audio.TryGetProperty("channels", out var channels) && channels.TryGetInt32(out var n) ? n : null,
            Codec = Text(audio, "codec_name"),
            Container = container,
            BitRate = (long?)(Number(format, "bit_rate") ?? Number(audio, "bit_rate")),
            Tags = Tags(format, audio),
        };
        return (mediaType, metadata);
    }

    /// <summary>
    /// The ffmpeg demuxer that reads a file of this metadata's container (the inverse of <see cref="Container"/>),
    /// or null where the container name stands for more than one ("wav" also covers w64).
    /// </summary>
    public static string? Demuxer(AudioMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.Container switch
        {
            "mp4" => "mov",
            "webm" or "matroska" => "matroska",
            "wavpack" => "wv",
            "wav" or null => null,
            var name => name,
        };
    }

    /// <summary>ffprobe's demuxer name to our container name and IANA media type (x- types where none is registered).</summary>
    private static (string Container, string MediaType) Container(string formatName, string? extensionHint)
    {
        var first = formatName.Split(',')[0];
        return first switch
        {
            "mp3" => ("mp3", "audio/mpeg"),
            "flac" => ("flac", "audio/flac"),
            "ogg" => ("ogg", "audio/ogg"),
            "wav" or "w64" => ("wav", "audio/wav"),
            "mov" => ("mp4", "audio/mp4"),
            "aac" => ("aac", "audio/aac"),
            "aiff" => ("aiff", "audio/aiff"),
            "asf" => ("asf", "audio/x-ms-wma"),
            "matroska" => extensionHint is ".weba" or ".webm" ? ("webm", "audio/webm") : ("matroska", "audio/x-matroska"),
            "ac3" => ("ac3", "audio/ac3"),
            "eac3" => ("eac3", "audio/eac3"),
            "amr" => ("amr", "audio/amr"),
            "ape" => ("ape", "audio/x-ape"),
            "wv" => ("wavpack", "audio/x-wavpack"),
            "caf" => ("caf", "audio/x-caf"),
            "au" => ("au", "audio/basic"),
            _ => throw new MediaException(MediaErrorCode.Unsupported, $"unsupported file type: audio container '{first}'"),
        };
    }

    private static Dictionary<string, string> Tags(JsonElement format, JsonElement audio)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var owner in new[] { format, audio })
        {
            if (owner.ValueKind != JsonValueKind.Object || !owner.TryGetProperty("tags", out var t) || t.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var tag in t.EnumerateObject())
            {
                var key = tag.Name.ToLowerInvariant();
                if (tags.Count >= MaxTags || tags.ContainsKey(key) || tag.Value.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                var value = tag.Value.GetString() ?? string.Empty;
                tags[key] = value.Length > MaxTagValueChars ? value[..MaxTagValueChars] : value;
            }
        }

        return tags;
    }

    private static bool IsAttachedPicture(JsonElement stream) =>
        stream.TryGetProperty("disposition", out var disposition)
        && disposition.TryGetProperty("attached_pic", out var attached)
        && attached.TryGetInt32(out var flag) && flag == 1;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static double? Number(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.GetDouble();
        }

        return value.ValueKind == JsonValueKind.String
            && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            && double.IsFinite(parsed)
            ? parsed
            : null;
    }
}
