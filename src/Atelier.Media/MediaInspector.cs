using Atelier.Core;
using Atelier.Media.Audio;
using Atelier.Media.Images;
using Atelier.Media.Text;

namespace Atelier.Media;

/// <summary>
/// Decides a file's kind from its signature first and its extension second, validates it with the matching
/// decoder, and extracts metadata:
/// an image signature → libvips (BMP: Skia), header limits then a full decode at thumbnail scale;
/// an audio container signature or an audio extension → ffprobe, which must find an audio stream;
/// a text extension or no extension → encoding detection and strict decoding;
/// a ZIP container that is an EPUB or DOCX (by its marker entries or extension) → its text, under zip-bomb limits;
/// anything else → <see cref="MediaErrorCode.Unsupported"/>.
/// </summary>
public sealed class MediaInspector : IMediaInspector
{
    private static readonly HashSet<string> AudioExtensions = new(StringComparer.Ordinal)
    {
        ".mp3", ".mp2", ".flac", ".ogg", ".oga", ".opus", ".spx", ".wav", ".wave", ".w64", ".m4a", ".m4b", ".mp4", ".aac", ".adts",
        ".aif", ".aiff", ".aifc", ".wma", ".mka", ".weba", ".webm", ".ac3", ".eac3", ".amr", ".ape", ".wv", ".caf", ".au", ".snd",
    };

    private readonly MediaOptions _options;

    public MediaInspector(MediaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <inheritdoc />
    public async Task<MediaInspection> InspectAsync(string path, string originalFileName, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ct.ThrowIfCancellationRequested();
        var extension = ExtensionOf(string.IsNullOrEmpty(originalFileName) ? path : originalFileName);
        var (_, head) = MediaFile.ReadHead(path, MediaSniffer.HeadLength);
        var sniffed = MediaSniffer.Sniff(head);

        switch (sniffed.Kind)
        {
            case MediaKind.Image when sniffed.Image is { } format:
                return ImageInspector.Inspect(path, format, _options);
            case MediaKind.Audio:
                return await InspectAudioAsync(path, extension, ct).ConfigureAwait(false);
        }

        if (ZipContainer.HasSignature(head))
        {
            // EPUB or DOCX by their markers or extension; the text loader refuses any other ZIP archive.
            return await TextLoader.InspectAsync(path, originalFileName, _options, ct).ConfigureAwait(false);
        }

        if (sniffed.KnownOther is { } what)
        {
            throw new MediaException(MediaErrorCode.Unsupported, $"unsupported file type: {what}");
        }

        if (AudioExtensions.Contains(extension))
        {
            return await InspectAudioAsync(path, extension, ct).ConfigureAwait(false);
        }

        if (ImageFormats.FromExtension(extension) is { } claimed)
        {
            throw new MediaException(
                MediaErrorCode.Corrupt,
                $"corrupt image: the file is named {extension} but does not start with a {claimed.ToDisplayName()} signature");
        }

        if (TextFormats.FromExtension(extension) is not null)
        {
            return await TextLoader.InspectAsync(path, originalFileName, _options, ct).ConfigureAwait(false);
        }

        throw new MediaException(MediaErrorCode.Unsupported, $"unsupported file type '{extension}': only images, audio and text are accepted");
    }

    private async Task<MediaInspection> InspectAudioAsync(string path, string extension, CancellationToken ct)
    {
        var (mediaType, metadata) = await AudioProbe.ProbeAsync(path, extension, _options, ct).ConfigureAwait(false);
        return new MediaInspection(MediaKind.Audio, mediaType, new WorkMetadata { Audio = metadata });
    }

    /// <summary>
    /// The lower-case extension with its dot, "" for none. User file names are hostile: only a short run of
    /// letters and digits after the last dot counts, so messages never echo control characters or long junk.
    /// </summary>
    internal static string ExtensionOf(string fileName)
    {
        var extension = Path.GetExtension(Path.GetFileName(fileName.AsSpan()));
        if (extension.Length is < 2 or > 12)
        {
            return string.Empty;
        }

        foreach (var c in extension[1..])
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return string.Empty;
            }
        }

        return extension.ToString().ToLowerInvariant();
    }
}
