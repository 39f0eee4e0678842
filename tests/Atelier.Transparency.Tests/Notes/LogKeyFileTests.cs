using Atelier.Testing;
using Atelier.Transparency.Notes;

namespace Atelier.Transparency.Tests.Notes;

public class LogKeyFileTests
{
    [Fact]
    public void Create_writesKeyWithMode0600_andLoadSigns()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("log.key");
        var verifier = LogKeyFile.Create(path, "atelier.example/log");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        using var signer = LogKeyFile.Load(path);
        Assert.Equal(verifier.KeyString, signer.Verifier.KeyString);
        var note = SignedNote.Sign("text\n", signer);
        Assert.Single(SignedNote.Open(note, verifier).Verified);
    }

    [Fact]
    public void Create_existingFile_isNeverOverwritten()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("log.key");
        var first = LogKeyFile.Create(path, "atelier.example/log");
        Assert.Throws<IOException>(() => LogKeyFile.Create(path, "atelier.example/log"));
        using var signer = LogKeyFile.Load(path);
        Assert.Equal(first.KeyString, signer.Verifier.KeyString);
    }

    [Fact]
    public void Load_fileReadableByOthers_isRefused()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes do not apply on Windows");
        }
        else
        {
            using var dir = new TempDirectory();
            var path = dir.Combine("log.key");
            LogKeyFile.Create(path, "atelier.example/log");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            var error = Assert.Throws<UnauthorizedAccessException>(() => LogKeyFile.Load(path));
            Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_notAKey_failsWithoutEchoingTheContent()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("log.key");
        File.WriteAllText(path, "PRIVATE+KEY+secret-looking-junk\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var error = Assert.Throws<FormatException>(() => LogKeyFile.Load(path));
        Assert.DoesNotContain("junk", error.Message, StringComparison.Ordinal);
    }
}
