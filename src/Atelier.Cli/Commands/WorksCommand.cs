using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atelier.Catalog;
using Atelier.Core;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>`atelier works list|show|delete`.</summary>
public static class WorksCommand
{
    public static Command Build()
    {
        var cmd = new Command("works", "List and show works");
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Show());
        cmd.Subcommands.Add(Delete());
        return cmd;
    }

    private static Command List()
    {
        var kind = new Option<string?>("--kind") { Description = "image, audio, text or other" };
        kind.AcceptOnlyFromAmong("image", "audio", "text", "other");
        var tag = new Option<string?>("--tag") { Description = "Only works with this tag" };
        var title = new Option<string?>("--title") { Description = "Only works whose title contains this text" };
        var offset = new Option<int>("--offset") { Description = "Skip this many works", DefaultValueFactory = _ => 0 };
        var limit = new Option<int>("--limit") { Description = "At most this many works (1-500)", DefaultValueFactory = _ => 500 };
        var json = GlobalOptions.Json();
        var cmd = new Command("list", "List works, oldest first") { kind, tag, title, offset, limit, json };
        cmd.SetAction(async (parse, ct) =>
        {
            MediaKind? k = MediaKinds.TryParse(parse.GetValue(kind), out var parsed) ? parsed : null;
            if (parse.GetValue(limit) is < 1 or > WorkService.MaxPageSize || parse.GetValue(offset) < 0)
            {
                throw new UsageException($"--limit must be 1..{WorkService.MaxPageSize} and --offset not negative");
            }

            await using var rt = await AtelierRuntime.OpenAsync(GlobalOptions.Settings(parse), ct: ct);
            var page = await rt.Works.ListAsync(new WorkQuery
            {
                Kind = k,
                Tag = parse.GetValue(tag),
                TitleContains = parse.GetValue(title),
                Offset = parse.GetValue(offset),
                Limit = parse.GetValue(limit),
            }, ct);
            if (parse.GetValue(json))
            {
                Output.Json(page.Items);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("id", "kind", "title", "size", "registered (UTC)", "tags");
            foreach (var w in page.Items)
            {
                table.AddRow(w.Id, w.Kind.ToWire(), Output.Escape(w.Title), Output.Bytes(w.ByteSize), w.RegisteredAt.ToString("yyyy-MM-dd HH:mm:ss"), Output.Escape(string.Join(", ", w.Tags)));
            }

            AnsiConsole.Write(table);
            Console.WriteLine($"{page.Items.Count} of {page.Total} works");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "The work's id" };
        var json = GlobalOptions.Json();
        var cmd = new Command("show", "Show one work with its metadata and history") { id, json };
        cmd.SetAction(async (parse, ct) =>
        {
            await using var rt = await AtelierRuntime.OpenAsync(GlobalOptions.Settings(parse), ct: ct);
            var details = await rt.Works.GetAsync(parse.GetValue(id)!, ct);
            if (details is null)
            {
                Output.Error($"no work has the id '{parse.GetValue(id)}'");
                return ExitCodes.SomeFailed;
            }

            if (parse.GetValue(json))
            {
                var node = JsonSerializer.SerializeToNode(details.Work, AtelierJson.Options)!.AsObject();
                node["history"] = JsonSerializer.SerializeToNode(details.History, AtelierJson.Options);
                Console.WriteLine(node.ToJsonString(AtelierJson.Indented));
                return ExitCodes.Ok;
            }

            var w = details.Work;
            var grid = new Grid().AddColumn().AddColumn();
            void Row(string k, string? v) => grid.AddRow(new Text(k), new Text(v ?? ""));
            Row("id", w.Id);
            Row("title", w.Title);
            Row("kind", w.Kind.ToWire());
            Row("file", w.OriginalFileName);
            Row("media type", w.MediaType);
            Row("size", $"{w.ByteSize} bytes");
            Row("sha-256", w.Sha256);
            Row("registered", w.RegisteredAt.ToString("u"));
            if (w.DeletedAt is { } deleted)
            {
                Row("deleted", deleted.ToString("u"));
            }

            Row("tags", string.Join(", ", w.Tags));
            foreach (var c in w.Contributors)
            {
                Row("contributor", $"{c.Name} ({c.Role}{(c.ShareBasisPoints is { } s ? $", {s / 100.0:0.##}%" : "")})");
            }

            var meta = JsonSerializer.SerializeToNode(w.Metadata, AtelierJson.Options) as JsonObject;
            foreach (var section in meta ?? [])
            {
                foreach (var field in section.Value?.AsObject() ?? [])
                {
                    Row($"{section.Key}.{field.Key}", field.Value?.ToJsonString(AtelierJson.Options).Trim('"'));
                }
            }

            foreach (var e in details.History)
            {
                Row("history", $"{e.At:u} {e.Type}{(e.Actor is null ? "" : " by " + e.Actor)}");
            }

            AnsiConsole.Write(grid);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Delete()
    {
        var id = new Argument<string>("id") { Description = "The work's id" };
        var json = GlobalOptions.Json();
        var cmd = new Command("delete", "Remove a work from the catalog listing; its record and history stay") { id, json };
        cmd.SetAction(async (parse, ct) =>
        {
            await using var rt = await AtelierRuntime.OpenAsync(GlobalOptions.Settings(parse), ct: ct);
            var workId = parse.GetValue(id)!;
            var deleted = await rt.Works.DeleteAsync(workId, "cli:" + Environment.UserName, ct);
            if (parse.GetValue(json))
            {
                Output.Json(new { id = workId, deleted });
            }
            else if (deleted)
            {
                Console.WriteLine($"Deleted {workId}");
            }
            else
            {
                Output.Error($"no live work has the id '{workId}'");
            }

            return deleted ? ExitCodes.Ok : ExitCodes.SomeFailed;
        });
        return cmd;
    }
}
