using System.CommandLine;
using Atelier.Catalog;
using Atelier.Catalog.Matching;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>`atelier match FILE`: which registered works a suspect file copies, graded, with evidence.</summary>
public static class MatchCommand
{
    public static Command Build()
    {
        var file = new Argument<string>("file") { Description = "The suspect file" };
        var json = GlobalOptions.Json();
        var cmd = new Command("match", "Find the registered works a suspect file copies (images, audio and text)") { file, json };
        cmd.SetAction(async (parse, ct) =>
        {
            var settings = GlobalOptions.Settings(parse);
            await using var rt = await AtelierRuntime.OpenAsync(settings, ct: ct);
            var report = await rt.Match.MatchFileAsync(parse.GetValue(file)!, settings.MaxUploadBytes, ct);
            if (parse.GetValue(json))
            {
                Output.Json(Shape(report));
            }
            else
            {
                Print(report);
            }

            return report.Error is null ? ExitCodes.Ok : ExitCodes.SomeFailed;
        });
        return cmd;
    }

    /// <summary>The documented `match --json` shape (../shared/DESIGN.md), with the error when the file was bad.</summary>
    public static object Shape(MatchReport report) => new
    {
        path = report.Path,
        matches = report.Matches.Select(m => new { workId = m.WorkId, title = m.Title, kind = m.Kind, grade = m.Grade, score = Math.Round(m.Score, 4), evidence = m.Evidence }),
        error = report.Error,
    };

    private static void Print(MatchReport report)
    {
        if (report.Error is not null)
        {
            Output.Error($"{report.Path}: {report.Error}");
        }

        if (report.Matches.Count == 0)
        {
            Console.WriteLine($"{report.Path}: no match");
            return;
        }

        var table = new Table().AddColumns("grade", "score", "work", "title", "evidence", "registered");
        foreach (var m in report.Matches)
        {
            var e = m.Evidence;
            var detail = AudioEvidence.Text(e) ?? e.Variant ?? (e.Passages is { Count: > 0 } p ? $"{p.Count} passage(s), {e.SuspectShare:P0} of the suspect, {e.OriginalShare:P0} of the original" : "same bytes");
            table.AddRow(m.Grade, $"{m.Score:0.00}", m.WorkId, Output.Escape(m.Title), Output.Escape(detail), $"{e.RegisteredAt:u}{(e.LogIndex is { } i ? $" (log #{i})" : "")}");
        }

        AnsiConsole.Write(table);
        PrintTimeline(report);
    }

    /// <summary>For a long suspect (a mix, a broadcast): which registered recording plays from when to when.</summary>
    public static void PrintTimeline(MatchReport report)
    {
        var timeline = AudioEvidence.Timeline(report.Matches);
        if (timeline.Count == 0)
        {
            return;
        }

        var table = new Table().Title("timeline of the suspect").AddColumns("suspect from–to", "work", "title", "original from–to", "speed", "pitch", "score");
        foreach (var (s, m) in timeline)
        {
            table.AddRow(
                AudioEvidence.Span(s.QueryStart, s.QueryEnd), m.WorkId, Output.Escape(m.Title),
                AudioEvidence.Span(s.OriginalStart, s.OriginalEnd), AudioEvidence.Speed(s.Speed), AudioEvidence.Semitones(s.PitchSemitones), $"{s.Score:0.00}");
        }

        AnsiConsole.Write(table);
    }
}
