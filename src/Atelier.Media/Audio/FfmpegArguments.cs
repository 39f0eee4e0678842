namespace Atelier.Media.Audio;

/// <summary>Input arguments shared by ffprobe and ffmpeg runs, chosen so a hostile file cannot redirect the tool.</summary>
internal static class FfmpegArguments
{
    /// <summary>
    /// The demuxers we accept. Everything else is off: playlist and script demuxers (hls, concat, ffconcat,
    /// image2 patterns) would make the tool open other files or URLs named inside the upload.
    /// Names are ffmpeg's demuxer names ("mov" covers MP4/M4A).
    /// </summary>
    public const string AllowedDemuxers = "mp3,flac,ogg,wav,w64,mov,aac,aiff,asf,matroska,webm,ac3,eac3,amr,ape,wv,caf,au";

    /// <summary>
    /// The input as an explicit file: URL, so a staging name that looks like another protocol ("http:",
    /// "concat:", "subfile,,") or an option ("-i") is still read as a plain local file.
    /// </summary>
    public static string InputUrl(string path) => "file:" + Path.GetFullPath(path);

    /// <summary>Options placed before "-i": only the file protocol and the allowed demuxers.</summary>
    public static IEnumerable<string> InputOptions(string path) =>
    [
        "-protocol_whitelist", "file",
        "-format_whitelist", AllowedDemuxers,
        "-i", InputUrl(path),
    ];
}
