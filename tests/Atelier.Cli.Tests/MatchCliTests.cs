using System.Text.Json;
using Atelier.Testing;

namespace Atelier.Cli.Tests;

/// <summary>`atelier match` on real photos and texts: exact copies, crops, copied passages, and nothing for unrelated files.</summary>
public class MatchCliTests
{
    [Fact]
    public async Task Match_copiesOfRegisteredWorks_areFoundGradedWithEvidence()
    {
        var images = SharedData.RequireDirectory("data/images/dev");
        var texts = SharedData.RequireDirectory("data/text/dev/en");
        using var dir = new TempDirectory("atelier-match");
        var src = dir.Combine("catalog");
        Directory.CreateDirectory(src);
        var photos = Directory.GetFiles(images, "*.jpg").Order(StringComparer.Ordinal).ToArray();
        foreach (var p in photos.Take(8))
        {
            File.Copy(p, Path.Combine(src, Path.GetFileName(p)));
        }

        var novels = Directory.GetFiles(texts, "*.txt").Order(StringComparer.Ordinal).ToArray();
        foreach (var t in novels.Take(4))
        {
            File.Copy(t, Path.Combine(src, Path.GetFileName(t)));
        }

        var cli = new CliRunner(dir.Combine("data"));
        var (code, stdout, stderr) = await cli.RunAsync("import", src, "--json");
        Assert.True(code == 0, stderr);
        var ids = CliRunner.JsonLines(stdout).ToDictionary(l => Path.GetFileName(l.GetProperty("path").GetString()!), l => l.GetProperty("workId").GetString()!);

        // The same bytes: exact.
        var exact = await MatchAsync(cli, Path.Combine(src, Path.GetFileName(photos[0])));
        Assert.Equal("exact", exact[0].GetProperty("grade").GetString());
        Assert.Equal(ids[Path.GetFileName(photos[0])], exact[0].GetProperty("workId").GetString());
        Assert.True(exact[0].GetProperty("evidence").GetProperty("logIndex").GetInt64() >= 0);

        // A centre crop to 80% of the area, re-encoded: found, and not exact.
        using (var original = NetVips.Image.NewFromFile(photos[1]))
        {
            var w = (int)(original.Width * 0.894);
            var h = (int)(original.Height * 0.894);
            using var crop = original.Crop((original.Width - w) / 2, (original.Height - h) / 2, w, h);
            crop.WriteToFile(dir.Combine("crop.jpg[Q=80]"));
        }

        var cropped = await MatchAsync(cli, dir.Combine("crop.jpg"));
        Assert.NotEmpty(cropped);
        Assert.Equal(ids[Path.GetFileName(photos[1])], cropped[0].GetProperty("workId").GetString());
        Assert.NotEqual("exact", cropped[0].GetProperty("grade").GetString());

        // A passage of ~600 characters lifted into unrelated text: partial, with the spans.
        var novel = await File.ReadAllTextAsync(novels[2], TestContext.Current.CancellationToken);
        var passage = novel.Substring(novel.Length / 2, 600);
        var suspect = Fixtures.Text(1500, 1) + "\n" + passage + "\n" + Fixtures.Text(1500, 2);
        await File.WriteAllTextAsync(dir.Combine("suspect.txt"), suspect, TestContext.Current.CancellationToken);
        var quoted = await MatchAsync(cli, dir.Combine("suspect.txt"));
        Assert.NotEmpty(quoted);
        Assert.Equal(ids[Path.GetFileName(novels[2])], quoted[0].GetProperty("workId").GetString());
        Assert.Equal("partial", quoted[0].GetProperty("grade").GetString());
        var span = quoted[0].GetProperty("evidence").GetProperty("passages")[0];
        var start = span.GetProperty("suspectStart").GetInt32();
        var end = span.GetProperty("suspectEnd").GetInt32();
        var truth = suspect.IndexOf(passage, StringComparison.Ordinal);
        var overlap = Math.Min(end, truth + passage.Length) - Math.Max(start, truth);
        Assert.True(overlap >= 0.8 * passage.Length, $"reported span {start}-{end}, true {truth}-{truth + passage.Length}");

        // Unrelated photos and text match nothing.
        Assert.Empty(await MatchAsync(cli, photos[^1]));
        Assert.Empty(await MatchAsync(cli, novels[^1]));

        // A scan of a folder of suspects, with a corrupt file and a hostile name among them, and its reports.
        var suspects = dir.Combine("suspects");
        Directory.CreateDirectory(suspects);
        File.Copy(dir.Combine("crop.jpg"), Path.Combine(suspects, "crop.jpg"));
        File.Copy(dir.Combine("suspect.txt"), Path.Combine(suspects, "<img src=x onerror=alert(1)>.txt"));
        File.Copy(photos[^1], Path.Combine(suspects, "unrelated.jpg"));
        await File.WriteAllBytesAsync(Path.Combine(suspects, "broken.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 1, 2, 3], TestContext.Current.CancellationToken);
        var html = dir.Combine("report.html");
        var (scanCode, scanOut, _) = await cli.RunAsync("scan", suspects, "--json", "--report", html);
        Assert.Equal(1, scanCode);
        var lines = CliRunner.JsonLines(scanOut).ToDictionary(l => Path.GetFileName(l.GetProperty("path").GetString()!));
        Assert.Equal(4, lines.Count);
        Assert.Equal(ids[Path.GetFileName(photos[1])], lines["crop.jpg"].GetProperty("matches")[0].GetProperty("workId").GetString());
        Assert.Equal("partial", lines["<img src=x onerror=alert(1)>.txt"].GetProperty("matches")[0].GetProperty("grade").GetString());
        Assert.Empty(lines["unrelated.jpg"].GetProperty("matches").EnumerateArray());
        Assert.False(string.IsNullOrEmpty(lines["broken.jpg"].GetProperty("error").GetString()));

        var page = await File.ReadAllTextAsync(html, TestContext.Current.CancellationToken);
        Assert.Contains("data:image/jpeg;base64,", page, StringComparison.Ordinal);
        Assert.Contains("<mark>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", page, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x", page, StringComparison.Ordinal);

        var csv = dir.Combine("report.csv");
        Assert.Equal(1, (await cli.RunAsync("scan", suspects, "--report", csv)).ExitCode);
        var rows = await File.ReadAllLinesAsync(csv, TestContext.Current.CancellationToken);
        Assert.StartsWith("suspect,error,work_id", rows[0], StringComparison.Ordinal);
        Assert.True(rows.Length >= 5);

        var json = dir.Combine("report.json");
        Assert.Equal(1, (await cli.RunAsync("scan", suspects, "--report", json)).ExitCode);
        Assert.Equal(4, JsonDocument.Parse(await File.ReadAllTextAsync(json, TestContext.Current.CancellationToken)).RootElement.GetProperty("files").GetArrayLength());
    }

    [Fact]
    public async Task ScanNew_suspectsScannedBeforeTheWorkWasRegistered_areReportedOnceAfterImport()
    {
        var images = SharedData.RequireDirectory("data/images/dev");
        var texts = SharedData.RequireDirectory("data/text/dev/en");
        using var dir = new TempDirectory("atelier-rescan");
        var photo = Directory.GetFiles(images, "*.jpg").Order(StringComparer.Ordinal).ElementAt(3);
        var novel = Directory.GetFiles(texts, "*.txt").Order(StringComparer.Ordinal).ElementAt(5);
        var suspects = dir.Combine("suspects");
        Directory.CreateDirectory(suspects);
        using (var original = NetVips.Image.NewFromFile(photo))
        {
            using var left = original.Crop(0, 0, (int)(original.Width * 0.7), original.Height);
            left.WriteToFile(Path.Combine(suspects, "left70.jpg[Q=85]"));
        }

        var book = await File.ReadAllTextAsync(novel, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(suspects, "blog.txt"), Fixtures.Text(1200, 7) + "\n" + book.Substring(book.Length / 3, 700) + "\n" + Fixtures.Text(900, 8), TestContext.Current.CancellationToken);

        var cli = new CliRunner(dir.Combine("data"));
        var (scanCode, scanOut, _) = await cli.RunAsync("scan", suspects, "--json");
        Assert.Equal(0, scanCode);
        Assert.All(CliRunner.JsonLines(scanOut), l => Assert.Empty(l.GetProperty("matches").EnumerateArray()));
        Assert.Equal("", (await cli.RunAsync("scan", "--new", "--json")).Stdout.Trim());

        var registered = dir.Combine("registered");
        Directory.CreateDirectory(registered);
        File.Copy(photo, Path.Combine(registered, Path.GetFileName(photo)));
        File.Copy(novel, Path.Combine(registered, Path.GetFileName(novel)));
        var (importCode, importOut, importErr) = await cli.RunAsync("import", registered, "--json");
        Assert.True(importCode == 0, importErr);
        var ids = CliRunner.JsonLines(importOut).ToDictionary(l => Path.GetFileName(l.GetProperty("path").GetString()!), l => l.GetProperty("workId").GetString()!);

        var (newCode, newOut, _) = await cli.RunAsync("scan", "--new", "--json");
        Assert.Equal(0, newCode);
        var found = CliRunner.JsonLines(newOut).ToDictionary(l => Path.GetFileName(l.GetProperty("path").GetString()!));
        Assert.Equal(ids[Path.GetFileName(photo)], found["left70.jpg"].GetProperty("workId").GetString());
        Assert.Equal(ids[Path.GetFileName(novel)], found["blog.txt"].GetProperty("workId").GetString());
        Assert.NotEmpty(found["blog.txt"].GetProperty("evidence").GetProperty("passages").EnumerateArray());
        Assert.Equal("", (await cli.RunAsync("scan", "--new", "--json")).Stdout.Trim());
    }

    private static async Task<List<JsonElement>> MatchAsync(CliRunner cli, string path)
    {
        var (code, stdout, stderr) = await cli.RunAsync("match", path, "--json");
        Assert.True(code == 0, stderr);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(path, report.GetProperty("path").GetString());
        return [.. report.GetProperty("matches").EnumerateArray()];
    }
}
