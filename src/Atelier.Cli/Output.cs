using System.Text.Json;
using Atelier.Catalog;
using Spectre.Console;

namespace Atelier.Cli;

/// <summary>Where command output goes: JSON lines for scripts, tables and colour for people.</summary>
public static class Output
{
    /// <summary>True when stdout is a terminal a person watches (progress bars make sense).</summary>
    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static void Json<T>(T value, bool indented = false) =>
        Console.Out.WriteLine(JsonSerializer.Serialize(value, indented ? AtelierJson.Indented : AtelierJson.Options));

    public static void Error(string message) => Console.Error.WriteLine("error: " + message);

    public static string Bytes(long n) => n switch
    {
        < 1024 => $"{n} B",
        < 1024 * 1024 => $"{n / 1024.0:0.#} KiB",
        < 1024L * 1024 * 1024 => $"{n / (1024.0 * 1024):0.#} MiB",
        _ => $"{n / (1024.0 * 1024 * 1024):0.##} GiB",
    };

    public static string Escape(string? s) => Markup.Escape(s ?? "");
}
