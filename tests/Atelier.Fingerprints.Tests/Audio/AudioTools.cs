using System.Buffers.Binary;
using System.Diagnostics;
using Atelier.Testing;

namespace Atelier.Fingerprints.Tests.Audio;

/// <summary>
/// Runs sox and ffmpeg for the fixtures and benchmarks, and reads and writes the WAV files they exchange.
/// (Atelier.Media's runner is internal and built for untrusted input; here the inputs are our own.)
/// </summary>
public static class AudioTools
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The first of <paramref name="tools"/> not found on PATH, or null when all are there.</summary>
    public static string? FindMissing(params string[] tools) => tools.FirstOrDefault(t => Which(t) is null);

    /// <summary>The full path of <paramref name="tool"/> on PATH, or null.</summary>
    public static string? Which(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs a tool to completion, returning its standard output; throws with its standard error when it fails.</summary>
    /// <param name="tool">The program, on PATH or a path.</param>
    /// <param name="arguments">Its arguments, passed as they are (no shell).</param>
    /// <param name="ct">Kills the tool.</param>
    /// <param name="acceptExitCodes">Exit codes that count as success; 0 alone when null.</param>
    public static async Task<byte[]> RunAsync(string tool, IEnumerable<string> arguments, CancellationToken ct = default, int[]? acceptExitCodes = null)
    {
        var info = new ProcessStartInfo(tool);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Fixtures.Start(info);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        using var stdout = new MemoryStream();
        var readOut = process.StandardOutput.BaseStream.CopyToAsync(stdout, timeout.Token);
        var readErr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await Task.WhenAll(readOut, readErr);
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (!(acceptExitCodes ?? [0]).Contains(process.ExitCode))
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', info.ArgumentList)} failed ({process.ExitCode}): {(await readErr).Trim()}");
        }

        return stdout.ToArray();
    }

    /// <summary>Decodes <paramref name="count"/> seconds of <paramref name="path"/> from <paramref name="start"/>, mono float at <paramref name="sampleRate"/>.</summary>
    public static async Task<float[]> DecodeAsync(string path, double start, double count, int sampleRate, CancellationToken ct = default)
    {
        string[] arguments =
        [
            "-nostdin", "-hide_banner", "-v", "error",
            "-ss", Invariant(start), "-i", path, "-t", Invariant(count),
            "-map", "0:a:0", "-ac", "1", "-ar", Invariant(sampleRate), "-f", "f32le", "pipe:1",
        ];
        var bytes = await RunAsync("ffmpeg", arguments, ct);
        var samples = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        }

        return samples;
    }

    /// <summary>Writes mono samples as a WAV file (see <see cref="Atelier.Testing.AudioFixtures.WriteWav(string, ReadOnlySpan{float}, int, bool)"/>).</summary>
    public static void WriteWav(string path, ReadOnlySpan<float> samples, int sampleRate, bool float32 = false) =>
        Atelier.Testing.AudioFixtures.WriteWav(path, samples, sampleRate, float32);

    /// <summary>Root mean square of the samples.</summary>
    public static double Rms(ReadOnlySpan<float> samples)
    {
        var sum = 0.0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }

        return samples.Length == 0 ? 0 : Math.Sqrt(sum / samples.Length);
    }

    /// <summary>Formats a number for a command line or a manifest, culture-independent.</summary>
    public static string Invariant(double value) => value.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
}
