using System.CommandLine;
using Atelier.Cli.Commands;
using Atelier.Media;

namespace Atelier.Cli;

/// <summary>The `atelier` command: parses, runs, and maps failures to the documented exit codes.</summary>
public static class AtelierCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Atelier: protect, manage, license and understand creative works, on your own machine.")
        {
            GlobalOptions.Data,
            GlobalOptions.Db,
            GlobalOptions.Blobs,
        };
        root.Subcommands.Add(InitCommand.Build());
        root.Subcommands.Add(ImportCommand.Build());
        root.Subcommands.Add(WorksCommand.Build());
        root.Subcommands.Add(KeysCommand.Build());
        root.Subcommands.Add(MatchCommand.Build());
        root.Subcommands.Add(ScanCommand.Build());
        root.Subcommands.Add(GcCommand.Build());
        root.Subcommands.Add(LogCommands.Proof());
        root.Subcommands.Add(LogCommands.Verify());
        root.Subcommands.Add(LogCommands.Log());
        root.Subcommands.Add(ServeCommand.Build());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Output.Error(error.Message);
            }

            await Console.Error.WriteLineAsync("Run 'atelier --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            Output.Error(ex.Message);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            Output.Error("cancelled");
            return ExitCodes.SomeFailed;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException
            or ArgumentException or MediaException or System.Data.Common.DbException or Catalog.CatalogValidationException)
        {
            // Expected operational failures (unreachable database, unwritable folder): one clear line, no stack.
            Output.Error(ex.Message);
            return ExitCodes.SomeFailed;
        }
        catch (Exception ex)
        {
            // A bug, not a user's mistake: show everything needed to report it.
            Output.Error("unexpected failure: " + ex);
            return ExitCodes.SomeFailed;
        }
    }
}
