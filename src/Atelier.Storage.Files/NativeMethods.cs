using System.Runtime.InteropServices;

namespace Atelier.Storage.Files;

/// <summary>
/// The two POSIX calls .NET does not expose: fsync on a directory, and link(2), whose refusal to
/// replace an existing name (EEXIST) and to cross file systems (EXDEV) gives an atomic
/// "move unless present, and only within this volume".
/// </summary>
internal static class NativeMethods
{
    // Same values on Linux, macOS and the BSDs.
    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int EACCES = 13;
    internal const int EEXIST = 17;
    internal const int EXDEV = 18;
    internal const int EMLINK = 31;

    private const int ORdOnly = 0;

    /// <summary>Whether this platform has the POSIX calls below.</summary>
    internal static bool IsPosix => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    /// <summary>
    /// Flushes a file or directory to stable storage. For a directory this makes the names created
    /// or renamed in it durable. Best effort: some file systems refuse fsync on directories.
    /// </summary>
    internal static void FsyncPath(string path)
    {
        if (!IsPosix)
        {
            return;
        }

        var fd = Open(path, ORdOnly);
        if (fd < 0)
        {
            return;
        }

        _ = Fsync(fd);
        _ = Close(fd);
    }

    /// <summary>link(2): 0, or the errno.</summary>
    internal static int TryLink(string existingPath, string newPath)
        => Link(existingPath, newPath) == 0 ? 0 : Marshal.GetLastPInvokeError();

    // The runtime maps "libc" to the platform's C library (libc.so.6, libSystem).
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existingPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);
}
