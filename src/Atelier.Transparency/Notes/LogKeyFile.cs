using System.Text;

namespace Atelier.Transparency.Notes;

/// <summary>
/// The log's private key on disk: one line holding the signer key string, the same text Go's note package
/// reads. The file is created with mode 0600 and, on Unix, refused when group or others may read or write it
/// (as ssh refuses an unprotected private key): a leaked key lets anyone sign checkpoints for the log.
/// </summary>
public static class LogKeyFile
{
    private const int MaxFileSize = 4096;
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Generates a key pair for the log <paramref name="name"/> (its checkpoint origin), writes the private
    /// key to a new file at <paramref name="path"/> with mode 0600, and returns the public verifier.
    /// </summary>
    /// <exception cref="IOException">when the file already exists: an existing key is never overwritten.</exception>
    public static NoteVerifier Create(string path, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (signerKey, verifierKey) = NoteKeys.Generate(name);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            // Set at creation, so the key is never readable by others, not even for a moment.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(signerKey + "\n"));
            stream.Flush(flushToDisk: true);
        }

        return NoteVerifier.Parse(verifierKey);
    }

    /// <summary>Loads the signer from a key file written by <see cref="Create"/> (or by Go's note tools).</summary>
    /// <exception cref="UnauthorizedAccessException">when group or others have any access to the file.</exception>
    /// <exception cref="FormatException">when the file does not hold a signer key.</exception>
    public static NoteSigner Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOther) != 0)
            {
                throw new UnauthorizedAccessException(
                    $"the log key file {path} is accessible by group or others (mode {Convert.ToString((int)mode, 8)}); run 'chmod 600 {path}'");
            }
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length > MaxFileSize)
        {
            throw new FormatException($"the log key file {path} is larger than {MaxFileSize} bytes; it is not a key file");
        }

        var buffer = new byte[stream.Length];
        stream.ReadExactly(buffer);
        try
        {
            return NoteSigner.Parse(Encoding.UTF8.GetString(buffer));
        }
        finally
        {
            Array.Clear(buffer);
        }
    }
}
