using System.Text.Json;
using Atelier.Testing;

namespace Atelier.Cli.Tests;

/// <summary>Runs the real `atelier` program as a child process, as a user or a script would.</summary>
public sealed class CliRunner(string dataDirectory)
{
    public string DataDirectory { get; } = dataDirectory;

    /// <summary>The built atelier.dll beside this test assembly (copied there by the project reference).</summary>
    public static string AtelierDll { get; } = Locate();

    public Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        Fixtures.RunAsync("dotnet", [AtelierDll, "--data", DataDirectory, .. args], env: new Dictionary<string, string> { ["ATELIER_DB"] = "", ["ATELIER_BLOBS"] = "" });

    /// <summary>Starts `atelier` without waiting, output redirected, so a test can watch it and kill it.</summary>
    public System.Diagnostics.Process Start(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet");
        foreach (var a in (string[])[AtelierDll, "--data", DataDirectory, .. args])
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["ATELIER_DB"] = "";
        psi.Environment["ATELIER_BLOBS"] = "";
        return Fixtures.Start(psi);
    }

    public static List<JsonElement> JsonLines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private static string Locate()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "atelier.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "atelier.runtimeconfig.json")))
        {
            return beside;
        }

        // Fall back to the Cli project's own output for the same configuration.
        var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var own = Path.Combine(SharedData.RepoRoot, "src", "Atelier.Cli", "bin", config, "net10.0", "atelier.dll");
        return File.Exists(own) ? own : throw new FileNotFoundException("atelier.dll is not built", own);
    }
}
