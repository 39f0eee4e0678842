using System.CommandLine;
using System.Globalization;
using Atelier.Catalog;

namespace Atelier.Cli.Commands;

/// <summary>`atelier gc`: removes blobs no work references and leftovers of interrupted imports.</summary>
public static class GcCommand
{
    public static Command Build()
    {
        var minAge = new Option<string>("--min-age")
        {
            Description = "Only remove things older than this (e.g. 0, 90s, 10m, 2h). Leave the default while imports may be running.",
            DefaultValueFactory = _ => "10m",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only report what would be removed" };
        var json = GlobalOptions.Json();
        var cmd = new Command("gc", "Remove unreferenced blobs and interrupted-import leftovers") { minAge, dryRun, json };
        cmd.SetAction(async (parse, ct) =>
        {
            var age = ParseDuration(parse.GetValue(minAge)!);
            await using var rt = await AtelierRuntime.OpenAsync(GlobalOptions.Settings(parse), ct: ct);
            var report = await rt.Gc.CollectAsync(age, parse.GetValue(dryRun), ct);
            if (parse.GetValue(json))
            {
                Output.Json(report);
            }
            else
            {
                var verb = report.DryRun ? "would remove" : "removed";
                Console.WriteLine($"scanned {report.BlobsScanned} blobs; {report.OrphansFound} unreferenced, {verb} {(report.DryRun ? report.OrphansFound : report.OrphansRemoved)} ({Output.Bytes(report.BytesRemoved)}); removed {report.StagingRemoved} staging leftovers");
            }

            return ExitCodes.Ok;
        });
        return cmd;
    }

    public static TimeSpan ParseDuration(string text)
    {
        var t = text.Trim();
        if (t.Length == 0)
        {
            throw new UsageException("--min-age needs a duration such as 0, 90s, 10m or 2h");
        }

        var unit = char.IsLetter(t[^1]) ? t[^1] : 's';
        var number = char.IsLetter(t[^1]) ? t[..^1] : t;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0 || double.IsInfinity(n))
        {
            throw new UsageException($"'{text}' is not a duration such as 0, 90s, 10m or 2h");
        }

        return unit switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => throw new UsageException($"'{text}': the unit must be s, m, h or d"),
        };
    }
}
