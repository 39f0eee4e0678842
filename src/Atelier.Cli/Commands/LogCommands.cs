using System.CommandLine;
using System.Security.Cryptography;
using Atelier.Catalog;
using Atelier.Transparency.Notes;
using Atelier.Transparency.Receipts;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>
/// The registration proofs: `proof` writes a work's receipt, `verify` checks one offline (no server, no
/// database), `log key` prints the verifier key and `log verify` audits every entry and tile.
/// </summary>
public static class LogCommands
{
    public static Command Proof()
    {
        var id = new Argument<string?>("work-id") { Description = "The work whose registration to prove", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Write a receipt for every live work into the --output folder" };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the receipt (default <work-id>.tlog-proof); with --all, a folder" };
        var json = GlobalOptions.Json();
        var cmd = new Command("proof", "Write a work's registration receipt, a .tlog-proof file anyone can check offline") { id, all, output, json };
        cmd.SetAction(async (parse, ct) =>
        {
            var workId = parse.GetValue(id);
            var everything = parse.GetValue(all);
            if (everything == (workId is not null))
            {
                throw new UsageException("name one work id, or pass --all");
            }

            await using var rt = await AtelierRuntime.OpenAsync(GlobalOptions.Settings(parse), ct: ct);

            // If no sequencer runs anywhere, this process sequences pending entries itself.
            rt.Log.StartSequencer();
            if (!everything)
            {
                if (await rt.Works.FindAsync(workId!, ct) is null)
                {
                    Output.Error($"no work has the id '{workId}'");
                    return ExitCodes.SomeFailed;
                }

                var path = Path.GetFullPath(parse.GetValue(output) ?? workId + Receipt.FileExtension);
                var index = await WriteReceiptAsync(rt, workId!, path, ct);
                Report(parse.GetValue(json), workId!, path, index);
                return ExitCodes.Ok;
            }

            var folder = Path.GetFullPath(parse.GetValue(output) ?? ".");
            Directory.CreateDirectory(folder);
            for (var offset = 0; ; offset += WorkService.MaxPageSize)
            {
                var page = await rt.Works.ListAsync(new Core.WorkQuery { Offset = offset, Limit = WorkService.MaxPageSize }, ct);
                foreach (var w in page.Items)
                {
                    var path = Path.Combine(folder, w.Id + Receipt.FileExtension);
                    Report(parse.GetValue(json), w.Id, path, await WriteReceiptAsync(rt, w.Id, path, ct));
                }

                if (page.Items.Count < WorkService.MaxPageSize)
                {
                    break;
                }
            }

            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static async Task<long> WriteReceiptAsync(AtelierRuntime rt, string workId, string path, CancellationToken ct)
    {
        var receipt = await rt.Log.ProveWorkAsync(workId, ct);
        await File.WriteAllBytesAsync(path, receipt.Format(), ct);
        return receipt.Index;
    }

    private static void Report(bool json, string workId, string path, long index)
    {
        if (json)
        {
            Output.Json(new { workId, path, index });
        }
        else
        {
            Console.WriteLine($"Wrote {path} (log index {index})");
        }
    }

    public static Command Verify()
    {
        var receiptArg = new Argument<string>("receipt") { Description = "The .tlog-proof file" };
        var file = new Option<string?>("--file") { Description = "Also check that this content is the registered one" };
        var key = new Option<string?>("--key") { Description = "The log's verifier key, or a file holding it (default: log.pub in the data directory)" };
        var json = GlobalOptions.Json();
        var cmd = new Command("verify", "Check a registration receipt offline: signature, inclusion, and optionally the content") { receiptArg, file, key, json };
        cmd.SetAction(async (parse, ct) =>
        {
            var receiptPath = parse.GetValue(receiptArg)!;
            var keyText = await ResolveKeyAsync(parse.GetValue(key), GlobalOptions.Settings(parse), ct);
            byte[] bytes;
            try
            {
                var info = new FileInfo(receiptPath);
                if (info.Exists && info.Length > Receipt.MaxSize)
                {
                    throw new UsageException($"{receiptPath} is larger than any receipt ({Receipt.MaxSize} bytes)");
                }

                bytes = await File.ReadAllBytesAsync(receiptPath, ct);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot read {receiptPath}: {ex.Message}");
            }

            string? sha = null;
            if (parse.GetValue(file) is { } contentPath)
            {
                try
                {
                    await using var content = File.OpenRead(contentPath);
                    sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, ct));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new UsageException($"cannot read {contentPath}: {ex.Message}");
                }
            }

            var report = ReceiptVerifier.Verify(bytes, keyText, sha);
            if (parse.GetValue(json))
            {
                Output.Json(new
                {
                    valid = report.Valid,
                    checks = report.Checks.Select(c => new { name = c.Name, ok = c.Ok, detail = c.Detail }),
                    index = report.Index,
                    workId = report.Registration?.WorkId,
                    registeredAt = report.Registration?.RegisteredAt,
                    checkpointSize = report.Checkpoint?.Size,
                });
            }
            else
            {
                foreach (var c in report.Checks)
                {
                    AnsiConsole.MarkupLine($"{(c.Ok ? "[green]ok[/]    " : "[red]FAILED[/]")} {Output.Escape(c.Name)}: {Output.Escape(c.Detail)}");
                }

                Console.WriteLine(report.Valid
                    ? $"valid: work {report.Registration?.WorkId} registered at {report.Registration?.RegisteredAt:u}, entry {report.Index} of a log of {report.Checkpoint?.Size}"
                    : "INVALID receipt");
            }

            return report.Valid ? ExitCodes.Ok : ExitCodes.SomeFailed;
        });
        return cmd;
    }

    public static Command Log()
    {
        var cmd = new Command("log", "The transparency log: its key and its audit");

        var keyJson = GlobalOptions.Json();
        var key = new Command("key", "Print the log's public verifier key (name+keyid+base64)") { keyJson };
        key.SetAction(async (parse, ct) =>
        {
            var text = await ResolveKeyAsync(null, GlobalOptions.Settings(parse), ct);
            if (parse.GetValue(keyJson))
            {
                Output.Json(new { key = text });
            }
            else
            {
                Console.WriteLine(text);
            }

            return ExitCodes.Ok;
        });
        cmd.Subcommands.Add(key);

        var verifyJson = GlobalOptions.Json();
        var verify = new Command("verify", "Re-hash every entry and tile and check them against the latest signed checkpoint") { verifyJson };
        verify.SetAction(async (parse, ct) =>
        {
            await using var rt = await AtelierRuntime.OpenAsync(GlobalOptions.Settings(parse), ct: ct);
            var report = await rt.Log.AuditAsync(ct);
            if (parse.GetValue(verifyJson))
            {
                Output.Json(new
                {
                    ok = report.Ok,
                    size = report.Checkpoint?.Size,
                    entriesChecked = report.EntriesChecked,
                    tilesChecked = report.TilesChecked,
                    problems = report.Problems.Select(p => new { path = p.Path, index = p.Index, message = p.Message }),
                });
            }
            else
            {
                foreach (var p in report.Problems)
                {
                    Console.WriteLine($"PROBLEM {p.Path}{(p.Index is { } i ? $" (entry {i})" : "")}: {p.Message}");
                }

                Console.WriteLine(report.Ok
                    ? $"ok: {report.EntriesChecked} entries and {report.TilesChecked} tiles match the checkpoint of size {report.Checkpoint?.Size}"
                    : $"FAILED: {report.Problems.Count} problem(s)");
            }

            return report.Ok ? ExitCodes.Ok : ExitCodes.SomeFailed;
        });
        cmd.Subcommands.Add(verify);
        return cmd;
    }

    /// <summary>The verifier key from --key (a key or a file holding one), else the data directory's log.pub.</summary>
    private static async Task<string> ResolveKeyAsync(string? option, AtelierSettings settings, CancellationToken ct)
    {
        string text;
        if (!string.IsNullOrWhiteSpace(option))
        {
            text = File.Exists(option) ? await File.ReadAllTextAsync(option, ct) : option;
        }
        else if (File.Exists(settings.LogPublicKeyPath))
        {
            text = await File.ReadAllTextAsync(settings.LogPublicKeyPath, ct);
        }
        else
        {
            throw new UsageException($"no verifier key: pass --key (the log's key, as 'atelier log key' prints it) or run inside a data directory ({settings.LogPublicKeyPath} is missing)");
        }

        text = text.Trim();
        return NoteVerifier.TryParse(text, out _, out var error) ? text : throw new UsageException("the verifier key is malformed: " + error);
    }
}
