namespace Atelier.Core;

/// <summary>What a work is, which decides how it is decoded and fingerprinted.</summary>
public enum MediaKind
{
    Other = 0,
    Image = 1,
    Audio = 2,
    Text = 3,
}

/// <summary>Lower-case wire names for <see cref="MediaKind"/> ("image", "audio", "text", "other").</summary>
public static class MediaKinds
{
    public static string ToWire(this MediaKind kind) => kind switch
    {
        MediaKind.Image => "image",
        MediaKind.Audio => "audio",
        MediaKind.Text => "text",
        _ => "other",
    };

    public static bool TryParse(string? value, out MediaKind kind)
    {
        switch (value?.Trim().ToUpperInvariant())
        {
            case "IMAGE": kind = MediaKind.Image; return true;
            case "AUDIO": kind = MediaKind.Audio; return true;
            case "TEXT": kind = MediaKind.Text; return true;
            case "OTHER": kind = MediaKind.Other; return true;
            default: kind = MediaKind.Other; return false;
        }
    }
}
