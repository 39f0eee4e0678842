using System.CommandLine;
using Atelier.Catalog;
using Atelier.Server;
using Microsoft.Extensions.Hosting;

namespace Atelier.Cli.Commands;

/// <summary>`atelier serve`: runs the HTTP API. On a fresh data directory it initialises it first.</summary>
public static class ServeCommand
{
    public static Command Build()
    {
        var urls = new Option<string[]>("--urls")
        {
            Description = $"Addresses to listen on (default {AtelierServer.DefaultUrl}; or set ATELIER_URLS)",
            AllowMultipleArgumentsPerToken = true,
        };
        var maxUpload = new Option<long?>("--max-upload-bytes") { Description = "Largest upload accepted (default 4 GiB; or set ATELIER_MAX_UPLOAD_BYTES)" };
        var cmd = new Command("serve", "Run the HTTP API server") { urls, maxUpload };
        cmd.SetAction(async (parse, ct) =>
        {
            var settings = GlobalOptions.Settings(parse, parse.GetValue(maxUpload));
            var listen = parse.GetValue(urls) is { Length: > 0 } u ? u
                : Environment.GetEnvironmentVariable("ATELIER_URLS") is { Length: > 0 } env ? env.Split(';', StringSplitOptions.RemoveEmptyEntries)
                : [AtelierServer.DefaultUrl];
            await using var rt = await AtelierRuntime.OpenAsync(settings, ct: ct);
            var created = await InitCommand.EnsureOwnerKeyAsync(rt, ct);
            Console.WriteLine($"Atelier data in {settings.DataDirectory} ({(settings.Database is null ? "SQLite" : "PostgreSQL")}, {(settings.Blobs is null ? "local blobs" : "S3 blobs")})");
            if (created is not null)
            {
                InitCommand.PrintKey(created);
            }

            await using var app = AtelierServer.Build(rt, listen);
            await app.StartAsync(ct);
            Console.WriteLine("Listening on " + string.Join(", ", app.Urls));
            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
