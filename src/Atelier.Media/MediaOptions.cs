namespace Atelier.Media;

/// <summary>
/// Limits and tool locations for <see cref="MediaInspector"/>, <see cref="Images.ImageLoader"/>,
/// <see cref="Audio.AudioDecoder"/> and <see cref="Text.TextLoader"/>. Bindable from configuration.
/// </summary>
public sealed class MediaOptions
{
    /// <summary>Default options, shared by callers that pass none. Treat as read-only.</summary>
    internal static MediaOptions Default { get; } = new();

    /// <summary>Largest width × height accepted, checked from the header before any pixel is decoded. Default 100 MP.</summary>
    public long MaxImagePixels { get; set; } = 100_000_000;

    /// <summary>Largest width or height accepted, checked from the header. Default 30,000 px.</summary>
    public int MaxImageDimension { get; set; } = 30_000;

    /// <summary>
    /// Largest raster a decoder may have to hold: for images width × height × bands × bytes per sample at full
    /// resolution (what an interlaced PNG, a progressive JPEG or a BMP needs in memory at worst); for
    /// <see cref="Audio.AudioDecoder"/> the sample buffer. Default 1 GiB: a 100 MP 16-bit RGBA image (800 MB) passes.
    /// </summary>
    public long MaxDecodeMemoryBytes { get; set; } = 1L << 30;

    /// <summary>Largest text file accepted, checked before reading. Default 64 MiB.</summary>
    public long MaxTextBytes { get; set; } = 64L << 20;

    /// <summary>
    /// Most entries an EPUB or DOCX container may hold, checked from its central directory before anything is
    /// inflated. Default 10,000.
    /// </summary>
    public int MaxZipEntries { get; set; } = 10_000;

    /// <summary>
    /// Most bytes all entries of an EPUB or DOCX container may declare uncompressed, checked before inflating;
    /// the bytes really inflated are counted against it too while reading. Default 256 MiB.
    /// </summary>
    public long MaxZipUncompressedBytes { get; set; } = 256L << 20;

    /// <summary>
    /// Highest uncompressed : compressed size ratio one container entry may declare (entries under 64 KiB
    /// uncompressed are exempt: tiny entries inflate to little whatever their ratio). Default 200.
    /// </summary>
    public int MaxZipCompressionRatio { get; set; } = 200;

    /// <summary>ffprobe executable: a name looked up on PATH, or a full path. Run without a shell.</summary>
    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>ffmpeg executable, used by <see cref="Audio.AudioDecoder"/>.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>Wall-clock limit for one ffprobe or ffmpeg run; past it the process tree is killed. Default 60 s.</summary>
    public TimeSpan ToolTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most bytes read from ffprobe's JSON output (many streams or huge tags). Default 4 MiB.</summary>
    public int MaxToolOutputBytes { get; set; } = 4 << 20;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a limit that is not positive.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxImagePixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxImageDimension);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDecodeMemoryBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxTextBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxToolOutputBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxZipEntries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxZipUncompressedBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxZipCompressionRatio);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ToolTimeout, TimeSpan.Zero);
        ArgumentException.ThrowIfNullOrWhiteSpace(FfprobePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(FfmpegPath);
    }
}
