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
    public DateTimeOffset? CaptureTime { get; init; }
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

/// <summary>Text facts. Words count CJK characters one each, other scripts by whitespace-separated runs.</summary>
public sealed record TextMetadata
{
    public required string Encoding { get; init; }
    public string? Language { get; init; }
    public required int Characters { get; init; }
    public required int Words { get; init; }
    public int Lines { get; init; }
    public string? Format { get; init; }
}
