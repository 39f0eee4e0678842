using System.CommandLine;
using Atelier.Catalog;
using Atelier.Core;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>`atelier keys create|list|revoke`: API keys, stored hashed; a new key is printed once.</summary>
public static class KeysCommand
{
    public static Command Build()
    {
        var cmd = new Command("keys", "Manage API keys");
        cmd.Subcommands.Add(Create());
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Revoke());
        return cmd;
    }

    private static Command Create()
    {
        var role = new Option<string>("--role") { Description = "owner, editor or viewer", Required = true };
        role.AcceptOnlyFromAmong("owner", "editor", "viewer");
        var name = new Option<string?>("--name") { Description = "A label for the key" };
        var json = GlobalOptions.Json();
        var cmd = new Command("create", "Create an API key and print it once") { role, name, json };
        cmd.SetAction(async (parse, ct) =>
        {
            Roles.TryParse(parse.GetValue(role), out var r);
            await using var rt = await AtelierRuntime.OpenAsync(GlobalOptions.Settings(parse), ct: ct);
            var created = await rt.Keys.CreateAsync(r, parse.GetValue(name), ct);
            if (parse.GetValue(json))
            {
                Output.Json(new { id = created.Key.Id, name = created.Key.Name, role = created.Key.Role, key = created.Secret });
            }
            else
            {
                Console.WriteLine($"Created {r.ToWire()} key {created.Key.Id} (shown once; store it safely):");
                Console.WriteLine(created.Secret);
            }

            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command List()
    {
        var json = GlobalOptions.Json();
        var cmd = new Command("list", "List API keys (never their secrets)") { json };
        cmd.SetAction(async (parse, ct) =>
        {
            await using var rt = await AtelierRuntime.OpenAsync(GlobalOptions.Settings(parse), ct: ct);
            var keys = await rt.Keys.ListAsync(ct);
            if (parse.GetValue(json))
            {
                Output.Json(keys.Select(k => new { k.Id, k.Name, k.Role, k.CreatedAt, k.RevokedAt, k.LastUsedAt }));
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("id", "role", "name", "created", "revoked");
            foreach (var k in keys)
            {
                table.AddRow(k.Id, k.Role.ToWire(), Output.Escape(k.Name), k.CreatedAt.ToString("u"), k.RevokedAt?.ToString("u") ?? "");
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Revoke()
    {
        var id = new Argument<string>("id") { Description = "The key's id, as 'keys list' shows it" };
        var json = GlobalOptions.Json();
        var cmd = new Command("revoke", "Revoke an API key; requests with it get 401 from then on") { id, json };
        cmd.SetAction(async (parse, ct) =>
        {
            await using var rt = await AtelierRuntime.OpenAsync(GlobalOptions.Settings(parse), ct: ct);
            var keyId = parse.GetValue(id)!;
            var revoked = await rt.Keys.RevokeAsync(keyId, ct);
            if (parse.GetValue(json))
            {
                Output.Json(new { id = keyId, revoked });
            }
            else if (revoked)
            {
                Console.WriteLine($"Revoked key {keyId}");
            }
            else
            {
                Output.Error($"no live key has the id '{keyId}'");
            }

            return revoked ? ExitCodes.Ok : ExitCodes.SomeFailed;
        });
        return cmd;
    }
}
