namespace Atelier.Media;

/// <summary>
/// A file was refused. <see cref="Exception.Message"/> is a complete English sentence fragment meant for the
/// person who sent the file, e.g. "corrupt image: JPEG data ends early (truncated file)"; it never holds the
/// staging path.
/// </summary>
public sealed class MediaException : Exception
{
    public MediaException(MediaErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public MediaException(MediaErrorCode code, string message, Exception? innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>The kind of failure, for mapping to a status code.</summary>
    public MediaErrorCode Code { get; }
}
