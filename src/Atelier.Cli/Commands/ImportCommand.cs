using System.CommandLine;
using Atelier.Catalog;
using Atelier.Core;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>
/// `atelier import PATH...`: imports files and folders (recursively). A person at a terminal sees a
/// progress bar with rate and ETA; redirected output gets one plain line per file; `--json` one JSON
/// object per line. Exit code 1 when any file failed; the others are imported regardless.
/// </summary>
public static class ImportCommand
{
    public static Command Build()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files and folders to import", Arity = ArgumentArity.OneOrMore };
        var creator = new Option<string?>("--creator") { Description = "Credit this name as the works' creator" };
        var tags = new Option<string[]>("--tag") { Description = "Tag the works (repeat for several)", AllowMultipleArgumentsPerToken = false };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once works are stored, with a pending log ticket, instead of waiting for their signed checkpoint" };
        var json = GlobalOptions.Json();
        var cmd = new Command("import", "Import works from files and folders and register them in the transparency log") { paths, creator, tags, noWait, json };
        cmd.SetAction(async (parse, ct) =>
        {
            var settings = GlobalOptions.Settings(parse);
            var contributors = parse.GetValue(creator) is { Length: > 0 } c ? [new Contributor(c.Trim(), "creator")] : Array.Empty<Contributor>();
            IReadOnlyList<string> tagList;
            try
            {
                tagList = CatalogRules.NormaliseTags(parse.GetValue(tags));
                CatalogRules.ValidateContributors(contributors);
            }
            catch (CatalogValidationException ex)
            {
                throw new UsageException(ex.Message);
            }

            var request = new ImportRequest { Contributors = contributors, Tags = tagList, Actor = "cli:" + Environment.UserName };
            await using var rt = await AtelierRuntime.OpenAsync(settings, ct: ct);
            var wait = !parse.GetValue(noWait);
            rt.Log.OnError = ex => Console.Error.WriteLine("warning: the log sequencer will retry after: " + ex.Message);
            rt.Log.StartSequencer();
            var (files, failures) = ImportService.ExpandPaths(parse.GetValue(paths)!);
            var asJson = parse.GetValue(json);
            var summary = new Summary();
            foreach (var f in failures)
            {
                summary.Add(f);
                Report(f, asJson, quiet: false);
            }

            if (!asJson && Output.Interactive && files.Count > 1)
            {
                await RunWithProgressAsync(rt, files, request, wait, summary, ct);
            }
            else
            {
                await foreach (var outcome in rt.Import.ImportManyAsync(files, request, settings.MaxUploadBytes, wait, ct))
                {
                    summary.Add(outcome);
                    Report(outcome, asJson, quiet: false);
                }
            }

            var line = $"{summary.Imported} imported, {summary.Duplicates} duplicate, {summary.Failed} failed";
            if (asJson)
            {
                Console.Error.WriteLine(line);
            }
            else
            {
                Console.WriteLine(line);
            }

            return summary.Failed > 0 ? ExitCodes.SomeFailed : ExitCodes.Ok;
        });
        return cmd;
    }

    private static async Task RunWithProgressAsync(AtelierRuntime rt, List<string> files, ImportRequest request, bool wait, Summary summary, CancellationToken ct)
    {
        var sizes = files.Select(f => { try { return new FileInfo(f).Length; } catch (IOException) { return 0L; } }).ToArray();
        var problems = new List<ImportOutcome>();
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"Importing {files.Count} files", maxValue: Math.Max(1, sizes.Sum()));
                var i = 0;
                await foreach (var outcome in rt.Import.ImportManyAsync(files, request, rt.Settings.MaxUploadBytes, wait, ct))
                {
                    summary.Add(outcome);
                    if (outcome.Status == ImportStatus.Failed)
                    {
                        problems.Add(outcome);
                    }

                    task.Increment(sizes[i++]);
                    task.Description = $"{summary.Imported} imported, {summary.Duplicates} duplicate, {summary.Failed} failed";
                }

                task.Value = task.MaxValue;
            });

        foreach (var p in problems)
        {
            AnsiConsole.MarkupLine($"[red]failed[/]    {Output.Escape(p.Path)}: {Output.Escape(p.Error)}");
        }
    }

    private static void Report(ImportOutcome o, bool asJson, bool quiet)
    {
        if (asJson)
        {
            Output.Json(new { path = o.Path, status = o.Status, workId = o.WorkId, error = o.Error, logIndex = o.LogIndex, pendingTicket = o.LogIndex is null ? o.LogSeq : null, warning = o.Warning });
            return;
        }

        if (quiet)
        {
            return;
        }

        Console.WriteLine(o.Status switch
        {
            ImportStatus.Imported => o.LogIndex is { } index ? $"imported  {o.WorkId}  {o.Path}  (log #{index})" : $"imported  {o.WorkId}  {o.Path}  (log ticket {o.LogSeq}, pending)",
            ImportStatus.Duplicate => $"duplicate {o.WorkId}  {o.Path}",
            _ => $"failed    {o.Path}: {o.Error}",
        });
    }

    private sealed class Summary
    {
        public int Imported { get; private set; }
        public int Duplicates { get; private set; }
        public int Failed { get; private set; }

        public void Add(ImportOutcome o)
        {
            switch (o.Status)
            {
                case ImportStatus.Imported: Imported++; break;
                case ImportStatus.Duplicate: Duplicates++; break;
                default: Failed++; break;
            }
        }
    }
}
