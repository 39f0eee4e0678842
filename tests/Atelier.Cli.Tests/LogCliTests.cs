using System.Text.Json;
using Atelier.Testing;
using Atelier.Transparency.Receipts;

namespace Atelier.Cli.Tests;

/// <summary>Registration proofs end to end, through the real `atelier` program.</summary>
public class LogCliTests
{
    [Fact]
    public async Task Verify_receiptsOfEveryDevImage_passAndTamperingIsRejected()
    {
        var images = SharedData.RequireDirectory("data/images/dev");
        using var dir = new TempDirectory("atelier-log");
        var cli = new CliRunner(dir.Combine("data"));
        var (code, stdout, stderr) = await cli.RunAsync("import", images, "--json");
        Assert.True(code == 0, stderr);
        var imported = CliRunner.JsonLines(stdout);
        Assert.All(imported, l => Assert.True(l.GetProperty("logIndex").GetInt64() >= 0));

        var receipts = dir.Combine("receipts");
        Assert.Equal(0, (await cli.RunAsync("proof", "--all", "-o", receipts)).ExitCode);
        var files = Directory.GetFiles(receipts, "*.tlog-proof");
        Assert.Equal(imported.Count, files.Length);
        foreach (var receipt in files)
        {
            var (ok, json, err) = await cli.RunAsync("verify", receipt, "--json");
            Assert.True(ok == 0, $"{receipt}: {json} {err}");
            Assert.True(JsonDocument.Parse(json).RootElement.GetProperty("valid").GetBoolean());
        }

        // The content check: the right file passes, another file fails.
        var first = imported[0];
        var firstReceipt = Path.Combine(receipts, first.GetProperty("workId").GetString() + ".tlog-proof");
        var firstPath = first.GetProperty("path").GetString()!;
        Assert.Equal(0, (await cli.RunAsync("verify", firstReceipt, "--file", firstPath)).ExitCode);
        var other = imported[1].GetProperty("path").GetString()!;
        var (wrongFile, wrongOut, _) = await cli.RunAsync("verify", firstReceipt, "--file", other, "--json");
        Assert.Equal(1, wrongFile);
        Assert.Contains(FailedChecks(wrongOut), c => c == "content");

        // Every bit of every proof hash and of the signature matters (one bit flipped per run).
        var original = await File.ReadAllTextAsync(firstReceipt, TestContext.Current.CancellationToken);
        var lines = original.Split('\n');
        var hashLines = Enumerable.Range(0, lines.Length).Where(i => IsHash(lines[i])).ToList();
        var signatureLine = Array.FindIndex(lines, l => l.StartsWith("\u2014 ", StringComparison.Ordinal));
        Assert.NotEmpty(hashLines);
        Assert.True(signatureLine > 0, "the receipt carries a signed checkpoint");
        foreach (var target in hashLines.Append(signatureLine))
        {
            var tampered = (string[])lines.Clone();
            tampered[target] = FlipBit(lines[target]);
            var path = dir.Combine("tampered.tlog-proof");
            await File.WriteAllTextAsync(path, string.Join('\n', tampered), TestContext.Current.CancellationToken);
            var (bad, badOut, _) = await cli.RunAsync("verify", path, "--json");
            Assert.True(bad == 1, $"flipping a bit in line {target} was not detected: {badOut}");
            Assert.False(JsonDocument.Parse(badOut).RootElement.GetProperty("valid").GetBoolean());
        }

        // Another log's key does not verify this log's checkpoint.
        var otherLog = new CliRunner(dir.Combine("other"));
        Assert.Equal(0, (await otherLog.RunAsync("init")).ExitCode);
        var otherKey = (await otherLog.RunAsync("log", "key")).Stdout.Trim();
        var (foreign, foreignOut, _) = await cli.RunAsync("verify", firstReceipt, "--key", otherKey, "--json");
        Assert.Equal(1, foreign);
        Assert.NotEmpty(FailedChecks(foreignOut));
    }

    [Fact]
    public async Task LogVerify_flippedByteInATileOrBundle_failsAndNamesThePlace()
    {
        using var dir = new TempDirectory("atelier-log");
        var src = dir.Combine("in");
        Directory.CreateDirectory(src);
        for (var i = 0; i < 300; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(src, $"note-{i:000}.txt"), Fixtures.Text(200, i), TestContext.Current.CancellationToken);
        }

        var cli = new CliRunner(dir.Combine("data"));
        Assert.Equal(0, (await cli.RunAsync("import", src, "--json")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("log", "verify")).ExitCode);

        var logRoot = Path.Combine(cli.DataDirectory, "blobs", "objects", "log", "tile");
        var tile = Directory.GetFiles(Path.Combine(logRoot, "0"), "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).First();
        var bundle = Directory.GetFiles(Path.Combine(logRoot, "entries"), "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).First();
        foreach (var victim in new[] { tile, bundle })
        {
            var bytes = await File.ReadAllBytesAsync(victim, TestContext.Current.CancellationToken);
            var saved = (byte[])bytes.Clone();
            bytes[bytes.Length / 2] ^= 0x01;
            File.SetAttributes(victim, FileAttributes.Normal);
            await File.WriteAllBytesAsync(victim, bytes, TestContext.Current.CancellationToken);

            var (code, stdout, _) = await cli.RunAsync("log", "verify", "--json");
            Assert.Equal(1, code);
            var report = JsonDocument.Parse(stdout).RootElement;
            Assert.False(report.GetProperty("ok").GetBoolean());
            var relative = Path.GetRelativePath(Path.Combine(cli.DataDirectory, "blobs", "objects", "log"), victim).Replace('\\', '/');
            Assert.Contains(report.GetProperty("problems").EnumerateArray(), p => p.GetProperty("path").GetString()!.EndsWith(relative, StringComparison.Ordinal));

            await File.WriteAllBytesAsync(victim, saved, TestContext.Current.CancellationToken);
            Assert.Equal(0, (await cli.RunAsync("log", "verify")).ExitCode);
        }
    }

    /// <summary>
    /// The crash test: imports killed with SIGKILL at random moments, 20 times. After each restart the log
    /// verifies, every import that had reported success is provably in the log, and no checkpoint of a
    /// size seen before has changed.
    /// </summary>
    [Fact]
    public async Task Import_killedAtRandom20Times_logStaysVerifiableAndKeepsEverySuccess()
    {
        using var dir = new TempDirectory("atelier-crash");
        var cli = new CliRunner(dir.Combine("data"));
        Assert.Equal(0, (await cli.RunAsync("init")).ExitCode);
        var key = (await File.ReadAllTextAsync(Path.Combine(cli.DataDirectory, "log.pub"), TestContext.Current.CancellationToken)).Trim();
        var checkpoints = new Dictionary<long, string>();
        var succeeded = new HashSet<string>(StringComparer.Ordinal);
        var rng = new Random(20261123);

        for (var round = 0; round < 20; round++)
        {
            var src = dir.Combine($"in-{round}");
            Directory.CreateDirectory(src);
            for (var i = 0; i < 40; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(src, $"w{i:00}.txt"), Fixtures.Text(300, (round * 1000) + i), TestContext.Current.CancellationToken);
            }

            using var p = cli.Start("import", src, "--json");
            var lines = new List<string>();
            var reader = Task.Run(async () =>
            {
                while (await p.StandardOutput.ReadLineAsync() is { } line)
                {
                    lines.Add(line);
                }
            }, TestContext.Current.CancellationToken);
            _ = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await Task.Delay(rng.Next(150, 1500), TestContext.Current.CancellationToken);
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync(TestContext.Current.CancellationToken);
            await reader;
            foreach (var l in lines)
            {
                var o = JsonDocument.Parse(l).RootElement;
                if (o.GetProperty("status").GetString() == "imported")
                {
                    succeeded.Add(o.GetProperty("workId").GetString()!);
                }
            }

            // After the restart: the whole log verifies...
            var (verify, verifyOut, verifyErr) = await cli.RunAsync("log", "verify", "--json");
            Assert.True(verify == 0, $"round {round}: {verifyOut} {verifyErr}");

            // ...no checkpoint of a size seen before changed...
            var checkpoint = await File.ReadAllTextAsync(Path.Combine(cli.DataDirectory, "blobs", "objects", "log", "checkpoint"), TestContext.Current.CancellationToken);
            var size = long.Parse(checkpoint.Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture);
            if (checkpoints.TryGetValue(size, out var seen))
            {
                Assert.Equal(seen, checkpoint);
            }

            checkpoints[size] = checkpoint;

            // ...and every import that reported success has a receipt that verifies offline.
            var receipts = dir.Combine($"receipts-{round}");
            var (proof, _, proofErr) = await cli.RunAsync("proof", "--all", "-o", receipts);
            Assert.True(proof == 0, proofErr);
            foreach (var workId in succeeded)
            {
                var bytes = await File.ReadAllBytesAsync(Path.Combine(receipts, workId + Receipt.FileExtension), TestContext.Current.CancellationToken);
                Assert.True(ReceiptVerifier.Verify(bytes, key).Valid, $"round {round}: the receipt of {workId} does not verify");
            }
        }

        Assert.NotEmpty(succeeded);
    }

    private static List<string> FailedChecks(string json) =>
        [.. JsonDocument.Parse(json).RootElement.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("ok").GetBoolean()).Select(c => c.GetProperty("name").GetString()!)];

    private static bool IsHash(string line)
    {
        if (line.Length != 44 || !line.EndsWith('='))
        {
            return false;
        }

        try
        {
            return Convert.FromBase64String(line).Length == 32;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Flips one bit in the base64 payload of a hash line or a signature line.</summary>
    private static string FlipBit(string line)
    {
        var prefix = line.StartsWith("\u2014 ", StringComparison.Ordinal) ? line[..(line.LastIndexOf(' ') + 1)] : "";
        var bytes = Convert.FromBase64String(line[prefix.Length..]);
        bytes[^1] ^= 0x01;
        return prefix + Convert.ToBase64String(bytes);
    }
}
