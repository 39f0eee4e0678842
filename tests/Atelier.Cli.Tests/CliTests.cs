using System.Text.Json;
using Atelier.Testing;

namespace Atelier.Cli.Tests;

public class CliTests
{
    static CliTests() => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"];

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("keys", "create", "--role", "emperor")]
    [InlineData("import")]
    [InlineData("works", "list", "--kind", "sculpture")]
    [InlineData("gc", "--min-age", "soon")]
    public async Task Run_usageErrors_exitWith2(params string[] args)
    {
        using var dir = new TempDirectory("atelier-cli");
        var (code, _, stderr) = await new CliRunner(dir.Combine("data")).RunAsync(args);
        Assert.Equal(2, code);
        Assert.False(string.IsNullOrWhiteSpace(stderr));
    }

    [Fact]
    public async Task Init_printsOwnerKeyOnce()
    {
        using var dir = new TempDirectory("atelier-cli");
        var cli = new CliRunner(dir.Combine("data"));
        var (code, stdout, _) = await cli.RunAsync("init", "--json");
        Assert.Equal(0, code);
        var key = JsonDocument.Parse(stdout).RootElement.GetProperty("ownerKey").GetString();
        Assert.StartsWith("atk_", key, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(cli.DataDirectory, "atelier.db")));

        var (again, stdout2, _) = await cli.RunAsync("init");
        Assert.Equal(0, again);
        Assert.DoesNotContain("atk_", stdout2, StringComparison.Ordinal);
        Assert.Contains("already initialised", stdout2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_sharedImages_importsEveryImageThenReportsEveryFileDuplicate()
    {
        var images = SharedData.RequireDirectory("data/images/dev");
        using var dir = new TempDirectory("atelier-cli");
        var cli = new CliRunner(dir.Combine("data"));
        var imageCount = Directory.GetFiles(images).Count(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()));
        var fileCount = Directory.GetFiles(images, "*", SearchOption.AllDirectories).Length;

        var (code, stdout, stderr) = await cli.RunAsync("import", images, "--json", "--tag", "dev");
        Assert.True(code == 0, stderr + stdout);
        var first = CliRunner.JsonLines(stdout);
        Assert.Equal(fileCount, first.Count);
        Assert.All(first, l => Assert.Equal("imported", l.GetProperty("status").GetString()));

        var (listCode, listOut, _) = await cli.RunAsync("works", "list", "--kind", "image", "--json");
        Assert.Equal(0, listCode);
        Assert.Equal(imageCount, JsonDocument.Parse(listOut).RootElement.GetArrayLength());

        var (code2, stdout2, _) = await cli.RunAsync("import", images, "--json");
        Assert.Equal(0, code2);
        var second = CliRunner.JsonLines(stdout2);
        Assert.Equal(fileCount, second.Count);
        Assert.All(second, l => Assert.Equal("duplicate", l.GetProperty("status").GetString()));
        var ids = first.ToDictionary(l => l.GetProperty("path").GetString()!, l => l.GetProperty("workId").GetString());
        Assert.All(second, l => Assert.Equal(ids[l.GetProperty("path").GetString()!], l.GetProperty("workId").GetString()));
    }

    [Fact]
    public async Task Import_folderWithBadFiles_exitsWith1AndReportsEachReason()
    {
        using var dir = new TempDirectory("atelier-cli");
        var src = dir.Combine("in");
        Directory.CreateDirectory(Path.Combine(src, "sub"));
        var good = Fixtures.Png(30, 30, 1);
        await File.WriteAllBytesAsync(Path.Combine(src, "作品.png"), good, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(src, "truncated.png"), Fixtures.Png(300, 300, 2)[..500], TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(src, "zero.jpg"), [], TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(src, "sub", "note.txt"), "A short note about the harbour.", TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(src, "sub", "诗.txt"), System.Text.Encoding.GetEncoding("GB18030").GetBytes("白日依山尽，黄河入海流。欲穷千里目，更上一层楼。"), TestContext.Current.CancellationToken);
        Fixtures.MakeUnreadable(Path.Combine(src, "locked.png"));

        var cli = new CliRunner(dir.Combine("data"));
        var (code, stdout, _) = await cli.RunAsync("import", src, "--json", "--creator", "Ann");
        Assert.Equal(1, code);
        var lines = CliRunner.JsonLines(stdout).ToDictionary(l => Path.GetFileName(l.GetProperty("path").GetString()!));
        Assert.Equal(6, lines.Count);
        foreach (var ok in new[] { "作品.png", "note.txt", "诗.txt" })
        {
            Assert.Equal("imported", lines[ok].GetProperty("status").GetString());
        }

        foreach (var bad in new[] { "truncated.png", "zero.jpg", "locked.png" })
        {
            Assert.Equal("failed", lines[bad].GetProperty("status").GetString());
            Assert.False(string.IsNullOrWhiteSpace(lines[bad].GetProperty("error").GetString()));
        }

        var (_, listOut, _) = await cli.RunAsync("works", "list", "--json");
        var works = JsonDocument.Parse(listOut).RootElement;
        Assert.Equal(3, works.GetArrayLength());
        Assert.Contains(works.EnumerateArray(), w => w.GetProperty("title").GetString() == "作品");
        Assert.All(works.EnumerateArray(), w => Assert.Equal("Ann", w.GetProperty("contributors")[0].GetProperty("name").GetString()));

        var plain = await cli.RunAsync("import", src);
        Assert.Equal(1, plain.ExitCode);
        Assert.Contains("duplicate", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains("failed", plain.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_createListRevoke_roundTrip()
    {
        using var dir = new TempDirectory("atelier-cli");
        var cli = new CliRunner(dir.Combine("data"));
        var (code, stdout, _) = await cli.RunAsync("keys", "create", "--role", "viewer", "--name", "ci", "--json");
        Assert.Equal(0, code);
        var created = JsonDocument.Parse(stdout).RootElement;
        var id = created.GetProperty("id").GetString()!;

        var (_, list, _) = await cli.RunAsync("keys", "list", "--json");
        Assert.DoesNotContain(created.GetProperty("key").GetString()!, list, StringComparison.Ordinal);
        Assert.Contains(id, list, StringComparison.Ordinal);

        Assert.Equal(0, (await cli.RunAsync("keys", "revoke", id)).ExitCode);
        Assert.Equal(1, (await cli.RunAsync("keys", "revoke", id)).ExitCode);
    }

    [Fact]
    public async Task WorksShow_unknownId_exitsWith1()
    {
        using var dir = new TempDirectory("atelier-cli");
        var (code, _, stderr) = await new CliRunner(dir.Combine("data")).RunAsync("works", "show", "01h0000000000000000000000a");
        Assert.Equal(1, code);
        Assert.Contains("no work", stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// kill -9 in the middle of an import, then import again: it completes, every work's content is intact,
    /// and after gc no blob is left unreferenced.
    /// </summary>
    [Fact]
    public async Task Import_killedMidway_rerunCompletesWithNoHalfWrittenWorkAndGcLeavesNoOrphans()
    {
        using var dir = new TempDirectory("atelier-cli");
        var src = dir.Combine("in");
        Directory.CreateDirectory(src);
        for (var i = 0; i < 60; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(src, $"chapter-{i:000}.txt"), Fixtures.Text(1_500_000, i), TestContext.Current.CancellationToken);
        }

        var cli = new CliRunner(dir.Combine("data"));
        Assert.Equal(0, (await cli.RunAsync("init")).ExitCode);

        using (var p = cli.Start("import", src, "--json"))
        {
            // Kill once a few works are in, so the kill lands in the middle of the batch.
            var seen = 0;
            while (seen < 5 && await p.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                if (line.Contains("\"imported\"", StringComparison.Ordinal))
                {
                    seen++;
                }
            }

            p.Kill(entireProcessTree: true); // SIGKILL on Linux: no cleanup runs.
            await p.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(seen >= 5, "the import should have imported some files before the kill");
        }

        var (code, stdout, stderr) = await cli.RunAsync("import", src, "--json");
        Assert.True(code == 0, stderr);
        var lines = CliRunner.JsonLines(stdout);
        Assert.Equal(60, lines.Count);
        Assert.Contains(lines, l => l.GetProperty("status").GetString() == "duplicate");
        Assert.Contains(lines, l => l.GetProperty("status").GetString() == "imported");

        var (_, listOut, _) = await cli.RunAsync("works", "list", "--json");
        var works = JsonDocument.Parse(listOut).RootElement.EnumerateArray().ToList();
        Assert.Equal(60, works.Count);

        var (gcCode, _, _) = await cli.RunAsync("gc", "--min-age", "0", "--json");
        Assert.Equal(0, gcCode);
        Assert.Equal(0, JsonDocument.Parse((await cli.RunAsync("gc", "--min-age", "0", "--json")).Stdout).RootElement.GetProperty("orphansFound").GetInt32());
        Assert.Empty(Directory.GetFiles(Path.Combine(cli.DataDirectory, "staging")));

        // Every work's blob exists and hashes to its recorded SHA-256: no half-written content.
        foreach (var w in works)
        {
            var sha = w.GetProperty("sha256").GetString()!;
            var blob = Directory.GetFiles(Path.Combine(cli.DataDirectory, "blobs"), sha, SearchOption.AllDirectories).Single();
            await using var s = File.OpenRead(blob);
            Assert.Equal(sha, Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(s, TestContext.Current.CancellationToken)));
        }
    }
}
