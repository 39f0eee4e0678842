namespace Atelier.Media;

/// <summary>Opens local files for the decoders, turning OS errors into <see cref="MediaErrorCode.Unreadable"/>.</summary>
internal static class MediaFile
{
    /// <summary>
    /// Checks that <paramref name="path"/> is a non-empty file and returns its length and first bytes. The size
    /// is checked before opening: a FIFO or device reports length 0 and is refused as empty instead of blocking
    /// the open.
    /// </summary>
    public static (long Length, byte[] Head) ReadHead(string path, int headLength)
    {
        var length = GetLength(path);
        try
        {
            using var stream = OpenRead(path);
            var head = new byte[(int)Math.Min(headLength, length)];
            var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return (length, head[..read]);
        }
        catch (IOException ex)
        {
            throw Unreadable(path, ex);
        }
    }

    /// <summary>The file's length; refuses a missing path, a directory and an empty file.</summary>
    public static long GetLength(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw new MediaException(MediaErrorCode.Unreadable, "unreadable file: it is a directory, not a file");
        }

        FileInfo info;
        try
        {
            info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new MediaException(MediaErrorCode.Unreadable, "unreadable file: it does not exist (no such file)");
            }

            var length = info.Length;
            return length == 0 ? throw new MediaException(MediaErrorCode.Empty, "empty file: it has 0 bytes") : length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, ex);
        }
    }

    /// <summary>Opens for sequential reading, with OS errors mapped.</summary>
    public static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, ex);
        }
    }

    /// <summary>Maps an OS error to a message that names the reason but not the (staging) path.</summary>
    public static MediaException Unreadable(string path, Exception ex)
    {
        var reason = ex switch
        {
            UnauthorizedAccessException => "permission denied",
            FileNotFoundException or DirectoryNotFoundException => "it does not exist (no such file)",
            _ => ex.Message.Replace(Path.GetFullPath(path), Path.GetFileName(path), StringComparison.Ordinal),
        };
        return new MediaException(MediaErrorCode.Unreadable, "unreadable file: " + reason, ex);
    }
}
