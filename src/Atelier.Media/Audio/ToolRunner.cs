using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Atelier.Media.Audio;

/// <summary>What an external tool left behind.</summary>
internal sealed record ToolResult(int ExitCode, string StandardError);

/// <summary>
/// Runs ffprobe/ffmpeg as a child process: arguments passed as a list (no shell, so no quoting or injection),
/// stdin closed, stderr drained into a small capped buffer, a wall-clock timeout that kills the whole process
/// tree, and cancellation that does the same.
/// </summary>
internal static class ToolRunner
{
    /// <summary>Most stderr kept for messages; the rest is read and dropped so the tool never blocks on a full pipe.</summary>
    private const int MaxErrorChars = 16 * 1024;

    /// <summary>
    /// Starts <paramref name="executable"/> and hands its stdout to <paramref name="readOutput"/>, which reads to
    /// the end or throws. The process tree is killed on timeout, on cancellation and when the reader throws.
    /// </summary>
    public static async Task<ToolResult> RunAsync(
        string executable,
        IEnumerable<string> arguments,
        Func<Stream, CancellationToken, Task> readOutput,
        TimeSpan timeout,
        CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var toolName = Path.GetFileName(executable);
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new MediaException(
                MediaErrorCode.ToolMissing,
                $"{toolName} is not installed or cannot be run ({ex.Message}): install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg), or set MediaOptions.{(toolName.Contains("probe", StringComparison.OrdinalIgnoreCase) ? "FfprobePath" : "FfmpegPath")}",
                ex);
        }

        process.StandardInput.Close();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);

        // Pipe reads do not always observe a token; killing the tree closes the pipes, which ends them.
        using var killOnCancel = deadline.Token.Register(() => Kill(process));
        var errorTask = ReadCappedAsync(process.StandardError, deadline.Token);
        try
        {
            await readOutput(process.StandardOutput.BaseStream, deadline.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            var error = await errorTask.ConfigureAwait(false);
            return new ToolResult(process.ExitCode, error);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            throw new MediaException(MediaErrorCode.Timeout, $"{toolName} did not finish within {timeout.TotalSeconds:0.#} s and was stopped (MediaOptions.ToolTimeout)");
        }
        finally
        {
            if (!process.HasExited)
            {
                Kill(process);
            }

            await Task.WhenAny(errorTask).ConfigureAwait(false);
        }
    }

    /// <summary>The first non-empty stderr line, without ffmpeg's "[demuxer @ 0x...] " prefix or the input's path.</summary>
    public static string FirstErrorLine(string standardError, string inputPath, string fallback)
    {
        foreach (var raw in standardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var line = raw;
            if (line.StartsWith('[') && line.IndexOf("] ", StringComparison.Ordinal) is var end and > 0)
            {
                line = line[(end + 2)..];
            }

            line = line.Replace(FfmpegArguments.InputUrl(inputPath), "input", StringComparison.Ordinal).Trim();
            if (line.Length > 0)
            {
                return line.Length > 300 ? line[..300] + "..." : line;
            }
        }

        return fallback;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // It exited between the check and the kill.
        }
    }

    private static async Task<string> ReadCappedAsync(StreamReader reader, CancellationToken ct)
    {
        var kept = new StringBuilder();
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                kept.Append(buffer, 0, Math.Min(read, MaxErrorChars - kept.Length));
            }
        }
        catch (OperationCanceledException)
        {
            // Timed out or cancelled: keep what arrived; the caller reports the timeout.
        }
        catch (IOException)
        {
            // The pipe broke when the process was killed.
        }

        return kept.ToString();
    }
}
