using System.CommandLine;
using Atelier.Catalog;
using Atelier.Catalog.Matching;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>
/// `atelier scan PATH...`: matches every file under the paths against the catalog, printing one line (or
/// one JSON object) per file, and optionally writing an HTML, JSON or CSV report.
/// </summary>
public static class ScanCommand
{
    public static Command Build()
    {
        var paths = new Argument<string[]>("paths") { Description = "Suspect files and folders", Arity = ArgumentArity.ZeroOrMore };
        var report = new Option<string?>("--report") { Description = "Also write a report: out.html, out.json or out.csv" };
        var fresh = new Option<bool>("--new") { Description = "Report the matches found since the last --new: earlier suspects re-checked against newly registered works" };
        var json = GlobalOptions.Json();
        var cmd = new Command("scan", "Match every file in folders of suspects against the catalog; suspects are kept and re-checked as works arrive") { paths, report, fresh, json };
        cmd.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(fresh))
            {
                if (parse.GetValue(paths) is { Length: > 0 })
                {
                    throw new UsageException("--new reports earlier suspects; give it no paths");
                }

                return await ReportNewAsync(parse, parse.GetValue(json), ct);
            }

            if (parse.GetValue(paths) is not { Length: > 0 })
            {
                throw new UsageException("name the files or folders to scan, or pass --new");
            }

            var reportPath = parse.GetValue(report);
            if (reportPath is not null && !ScanReportWriter.Formats.Contains(Path.GetExtension(reportPath).ToLowerInvariant()))
            {
                throw new UsageException($"--report must end in {string.Join(", ", ScanReportWriter.Formats)}");
            }

            var settings = GlobalOptions.Settings(parse);
            await using var rt = await AtelierRuntime.OpenAsync(settings, ct: ct);
            var (files, failures) = ImportService.ExpandPaths(parse.GetValue(paths)!);
            var asJson = parse.GetValue(json);
            var results = failures.Select(f => new MatchReport(f.Path, [], f.Error)).ToList();
            async Task ScanAllAsync(Action<MatchReport> done)
            {
                foreach (var file in files)
                {
                    var r = await rt.Match.ScanFileAsync(file, settings.MaxUploadBytes, ct);
                    results.Add(r);
                    done(r);
                }
            }

            if (!asJson && Output.Interactive && files.Count > 1)
            {
                await AnsiConsole.Progress().AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async ctx =>
                    {
                        var task = ctx.AddTask($"Scanning {files.Count} files", maxValue: files.Count);
                        await ScanAllAsync(_ => task.Increment(1));
                    });
                foreach (var r in results.Where(r => r.Matches.Count > 0 || r.Error is not null))
                {
                    PrintLine(r);
                }
            }
            else
            {
                foreach (var f in results)
                {
                    Emit(f, asJson);
                }

                await ScanAllAsync(r => Emit(r, asJson));
            }

            if (reportPath is not null)
            {
                await rt.Reports.WriteAsync(Path.GetFullPath(reportPath), results, ct);
                if (!asJson)
                {
                    Console.WriteLine($"Report written to {Path.GetFullPath(reportPath)}");
                }
            }

            var failed = results.Count(r => r.Error is not null && r.Matches.Count == 0);
            var summary = $"{results.Count} scanned, {results.Count(r => r.Matches.Count > 0)} with matches, {failed} failed";
            if (asJson)
            {
                Console.Error.WriteLine(summary);
            }
            else
            {
                Console.WriteLine(summary);
            }

            return failed > 0 ? ExitCodes.SomeFailed : ExitCodes.Ok;
        });
        return cmd;
    }

    private static async Task<int> ReportNewAsync(ParseResult parse, bool asJson, CancellationToken ct)
    {
        await using var rt = await AtelierRuntime.OpenAsync(GlobalOptions.Settings(parse), ct: ct);
        var findings = await rt.Catalog.TakeUnreportedFindingsAsync(rt.Clock.GetUtcNow(), ct);
        foreach (var f in findings)
        {
            var work = await rt.Catalog.GetWorkAsync(f.WorkId, ct);
            if (asJson)
            {
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    path = f.SuspectPath,
                    workId = f.WorkId,
                    title = work?.Title,
                    kind = work?.Kind,
                    grade = f.Grade,
                    score = Math.Round(f.Score, 4),
                    evidence = System.Text.Json.JsonDocument.Parse(f.Evidence).RootElement,
                    foundAt = f.FoundAt,
                }, AtelierJson.Options));
            }
            else
            {
                var heard = HeardText(f.Evidence) is { } text ? " " + text : "";
                Console.WriteLine($"{f.Grade,-9} {f.SuspectPath} -> {f.WorkId} \"{work?.Title}\" ({f.Score:0.00}){heard}, found {f.FoundAt:u}");
            }
        }

        if (!asJson)
        {
            Console.WriteLine($"{findings.Count} new match(es)");
        }

        return ExitCodes.Ok;
    }

    /// <summary>The audio evidence of a stored finding, readably; null for other kinds or unreadable evidence.</summary>
    private static string? HeardText(string evidenceJson)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<MatchEvidence>(evidenceJson, AtelierJson.Options) is { } e ? AudioEvidence.Text(e) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static void Emit(MatchReport r, bool asJson)
    {
        if (asJson)
        {
            Output.Json(MatchCommand.Shape(r));
        }
        else
        {
            PrintLine(r);
        }
    }

    private static void PrintLine(MatchReport r)
    {
        if (r.Error is not null && r.Matches.Count == 0)
        {
            Console.WriteLine($"failed    {r.Path}: {r.Error}");
        }
        else if (r.Matches.Count == 0)
        {
            Console.WriteLine($"no match  {r.Path}");
        }
        else
        {
            var best = r.Matches[0];
            var heard = AudioEvidence.Text(best.Evidence) is { } text ? " " + text : "";
            Console.WriteLine($"{best.Grade,-9} {r.Path} -> {best.WorkId} \"{best.Title}\" ({best.Score:0.00}){heard}{(r.Matches.Count > 1 ? $" and {r.Matches.Count - 1} more" : "")}");

            // A long suspect's timeline goes under its line, one stretch a line, so a mix reads top to bottom.
            foreach (var (s, m) in AudioEvidence.Timeline(r.Matches))
            {
                Console.WriteLine($"          {AudioEvidence.Span(s.QueryStart, s.QueryEnd)}  {m.WorkId} \"{m.Title}\" at {AudioEvidence.Span(s.OriginalStart, s.OriginalEnd)}, speed {AudioEvidence.Speed(s.Speed)}, pitch {AudioEvidence.Semitones(s.PitchSemitones)}");
            }
        }
    }
}
