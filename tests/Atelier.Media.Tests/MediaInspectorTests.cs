using Atelier.Testing;

namespace Atelier.Media.Tests;

public sealed class MediaInspectorTests
{
    [Fact]
    public async Task InspectAsync_zero_bytes_is_empty()
    {
        var error = await TestFiles.RefusalAsync([], "nothing.jpg");

        Assert.Equal(MediaErrorCode.Empty, error.Code);
    }

    [Fact]
    public async Task InspectAsync_directory_is_unreadable()
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("folder.png");
        Directory.CreateDirectory(path);

        var error = await Assert.ThrowsAsync<MediaException>(() => TestFiles.Inspector().InspectAsync(path, "folder.png", TestContext.Current.CancellationToken));

        Assert.Equal(MediaErrorCode.Unreadable, error.Code);
        Assert.Equal("unreadable file: it is a directory, not a file", error.Message);
    }

    [Fact]
    public async Task InspectAsync_missing_file_is_unreadable()
    {
        using var temp = new TempDirectory("media");

        var error = await Assert.ThrowsAsync<MediaException>(
            () => TestFiles.Inspector().InspectAsync(temp.Combine("gone.txt"), "gone.txt", TestContext.Current.CancellationToken));

        Assert.Equal(MediaErrorCode.Unreadable, error.Code);
        Assert.DoesNotContain(temp.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAsync_file_without_read_permission_is_unreadable()
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("secret.txt");
        await File.WriteAllTextAsync(path, "hidden words", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(path, UnixFileMode.None);
        try
        {
            await using (var probe = TryOpen(path))
            {
                if (probe is not null)
                {
                    Assert.Skip("this process reads files whatever their mode (root or CAP_DAC_OVERRIDE), so chmod 000 cannot make one unreadable; the directory and missing-file cases cover Unreadable");
                }
            }

            var error = await Assert.ThrowsAsync<MediaException>(() => TestFiles.Inspector().InspectAsync(path, "secret.txt", TestContext.Current.CancellationToken));

            Assert.Equal(MediaErrorCode.Unreadable, error.Code);
            Assert.Equal("unreadable file: permission denied", error.Message);
        }
        finally
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task InspectAsync_fifo_is_refused_without_blocking()
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("pipe.txt");
        TestFiles.MakeFifo(path);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));

        var inspect = Task.Run(() => TestFiles.Inspector().InspectAsync(path, "pipe.txt", timeout.Token), timeout.Token);
        var finished = await Task.WhenAny(inspect, Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));

        Assert.Same(inspect, finished);
        var error = await Assert.ThrowsAsync<MediaException>(() => inspect);
        Assert.True(error.Code is MediaErrorCode.Empty or MediaErrorCode.Unreadable, error.Code.ToString());
    }

    [Theory]
    [InlineData("%PDF-1.4\n%âãÏÓ\n1 0 obj", "report.pdf", "PDF")]
    [InlineData("{\"a\": 1}", "data.json", "'.json'")]
    [InlineData("PK\u0003\u0004rest-of-zip", "archive.zip", "ZIP")]
    public async Task InspectAsync_other_types_are_unsupported_and_named(string content, string name, string mentioned)
    {
        var error = await TestFiles.RefusalAsync(System.Text.Encoding.UTF8.GetBytes(content), name);

        Assert.Equal(MediaErrorCode.Unsupported, error.Code);
        Assert.StartsWith("unsupported file type", error.Message, StringComparison.Ordinal);
        Assert.Contains(mentioned, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("photo.JPG", ".jpg")]
    [InlineData("../../etc/passwd", "")]
    [InlineData("archive.tar.gz", ".gz")]
    [InlineData("evil.\u001b[31mred", "")]
    [InlineData("作品.png", ".png")]
    [InlineData("no-extension", "")]
    public void ExtensionOf_keeps_only_a_short_alphanumeric_extension(string name, string expected)
    {
        Assert.Equal(expected, MediaInspector.ExtensionOf(name));
    }

    [Fact]
    public void Constructor_rejects_nonsense_limits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MediaInspector(new MediaOptions { MaxImagePixels = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MediaInspector(new MediaOptions { ToolTimeout = TimeSpan.Zero }));
    }

    private static FileStream? TryOpen(string path)
    {
        try
        {
            return File.OpenRead(path);
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
