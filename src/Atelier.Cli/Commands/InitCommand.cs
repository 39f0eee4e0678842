using System.CommandLine;
using Atelier.Catalog;
using Atelier.Core;

namespace Atelier.Cli.Commands;

/// <summary>`atelier init`: creates the data directory and prints an owner API key once.</summary>
public static class InitCommand
{
    public static Command Build()
    {
        var json = GlobalOptions.Json();
        var origin = new Option<string?>("--log-origin") { Description = $"The transparency log's origin line, a schema-less URL naming it (default {AtelierSettings.DefaultLogOrigin}; or set ATELIER_LOG_ORIGIN)" };
        var cmd = new Command("init", "Create the data directory and the log key, and print an owner API key (shown once)") { origin, json };
        cmd.SetAction(async (parse, ct) =>
        {
            var settings = GlobalOptions.Settings(parse);
            if (parse.GetValue(origin) is { Length: > 0 } o)
            {
                settings = settings with { LogOrigin = o.Trim() };
            }
            await using var rt = await AtelierRuntime.OpenAsync(settings, ct: ct);
            var created = await EnsureOwnerKeyAsync(rt, ct);
            var asJson = parse.GetValue(json);
            if (asJson)
            {
                Output.Json(new { dataDirectory = settings.DataDirectory, database = settings.Database is null ? "sqlite" : "postgresql", ownerKey = created?.Secret, ownerKeyId = created?.Key.Id, logKey = rt.Log.Verifier.KeyString });
                return ExitCodes.Ok;
            }

            if (created is null)
            {
                Console.WriteLine($"Atelier is already initialised in {settings.DataDirectory}; it has an owner key.");
                Console.WriteLine("Create another with: atelier keys create --role owner");
            }
            else
            {
                Console.WriteLine($"Initialised Atelier in {settings.DataDirectory}");
                Console.WriteLine($"Transparency log verifier key: {rt.Log.Verifier.KeyString}");
                PrintKey(created);
            }

            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>Creates an owner key when the catalog has no live one; null when one exists.</summary>
    public static async Task<CreatedApiKey?> EnsureOwnerKeyAsync(AtelierRuntime rt, CancellationToken ct) =>
        await rt.Keys.HasLiveOwnerAsync(ct) ? null : await rt.Keys.CreateAsync(Role.Owner, "owner", ct);

    public static void PrintKey(CreatedApiKey created)
    {
        Console.WriteLine();
        Console.WriteLine($"Owner API key (shown once; store it safely):");
        Console.WriteLine();
        Console.WriteLine("    " + created.Secret);
        Console.WriteLine();
        Console.WriteLine("Send it as 'Authorization: Bearer <key>'.");
    }
}
