namespace Atelier.Media;

/// <summary>Why a file was refused. Callers map these to statuses (HTTP 4xx for all but ToolMissing and Timeout).</summary>
public enum MediaErrorCode
{
    /// <summary>The file has no bytes.</summary>
    Empty,

    /// <summary>Not an image, audio or text file this build handles.</summary>
    Unsupported,

    /// <summary>It claims a supported format but its data is broken or truncated.</summary>
    Corrupt,

    /// <summary>It exceeds a limit in <see cref="MediaOptions"/> (dimensions, pixels, decode memory, size).</summary>
    LimitExceeded,

    /// <summary>The file could not be read (missing, a directory, permission denied, I/O error).</summary>
    Unreadable,

    /// <summary>An external tool (ffprobe, ffmpeg) is not installed where the options say.</summary>
    ToolMissing,

    /// <summary>An external tool ran past <see cref="MediaOptions.ToolTimeout"/> and was killed.</summary>
    Timeout,
}
