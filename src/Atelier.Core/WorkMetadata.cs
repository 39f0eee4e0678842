namespace Atelier.Core;

/// <summary>Metadata extracted from a work's content at import. One section is set, by kind.</summary>
public sealed record WorkMetadata
{
    public ImageMetadata? Image { get; init; }
    public AudioMetadata? Audio { get; init; }
    public TextMetadata? Text { get; init; }

    public static WorkMetadata Empty { get; } = new();
}

/// <summary>Image facts. Width and height are as stored; <see cref="Orientation"/> is the EXIF value (1..8).</summary>
public sealed record ImageMetadata
{
    public required int Width { get; init; }
    public required int Height { get; init; }
    public string? Format { get; init; }
    /// <summary>EXIF DateTimeOriginal. See <see cref="CaptureTimeHasOffset"/> for how to read its offset.</summary>
    public DateTimeOffset? CaptureTime { get; init; }
    /// <summary>
    /// True when the camera recorded its UTC offset (EXIF OffsetTimeOriginal). When false,
    /// <see cref="CaptureTime"/> holds the camera's wall-clock time with offset zero: its time zone is unknown,
    /// so show it as a local time, not as UTC.
    /// </summary>
    public bool CaptureTimeHasOffset { get; init; }
    public string? CameraMake { get; init; }
    public string? CameraModel { get; init; }
    public int? Orientation { get; init; }
    public bool HasGps { get; init; }
}

/// <summary>Audio facts as ffprobe reports them.</summary>
public sealed record AudioMetadata
{
    public required double DurationSeconds { get; init; }
    public int? SampleRate { get; init; }
    public int? Channels { get; init; }
    public string? Codec { get; init; }
    public string? Container { get; init; }
    public long? BitRate { get; init; }
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Text facts. Characters counts Unicode scalar values that are not white space. Words counts each CJK
/// ideograph, kana and Hangul syllable as one word, and in other scripts each run of letters and digits
/// (an apostrophe between letters stays inside the word).
/// </summary>
public sealed record TextMetadata
{
    public required string Encoding { get; init; }
    public string? Language { get; init; }
    public required int Characters { get; init; }
    public required int Words { get; init; }
    public int Lines { get; init; }
    public string? Format { get; init; }
}
