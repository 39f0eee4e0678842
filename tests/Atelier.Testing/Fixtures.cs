using System.Diagnostics;
using System.Text;

namespace Atelier.Testing;

/// <summary>Test files made on the spot, so tests need no ../shared for the basics.</summary>
public static class Fixtures
{
    /// <summary>A valid PNG of the given size whose pixels depend on <paramref name="seed"/> (distinct content per seed).</summary>
    public static byte[] Png(int width, int height, int seed)
    {
        // Hand-assembled so test fixtures need no image library: 8-bit greyscale, filter 0 per row.
        var raw = new byte[(width + 1) * height];
        var state = (uint)seed * 2654435761u + 1;
        for (var y = 0; y < height; y++)
        {
            raw[y * (width + 1)] = 0;
            for (var x = 0; x < width; x++)
            {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                raw[(y * (width + 1)) + 1 + x] = (byte)((x * 7) + (y * 3) + (state & 15));
            }
        }

        using var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        WriteBigEndian(ihdr, 0, (uint)width);
        WriteBigEndian(ihdr, 4, (uint)height);
        ihdr[8] = 8;
        ihdr[9] = 0;
        Chunk(ms, "IHDR", ihdr);
        using (var z = new MemoryStream())
        {
            using (var zs = new System.IO.Compression.ZLibStream(z, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            {
                zs.Write(raw);
            }

            Chunk(ms, "IDAT", z.ToArray());
        }

        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    /// <summary>Distinct English-like text of about <paramref name="bytes"/> bytes.</summary>
    public static string Text(int bytes, int seed)
    {
        string[] words = ["the", "light", "over", "harbour", "painted", "quiet", "morning", "song", "river", "ink", "paper", "studio", "verse", "colour", "stone"];
        var rng = new Random(seed);
        var sb = new StringBuilder(bytes + 32);
        sb.Append("Work ").Append(seed).Append(". ");
        while (sb.Length < bytes)
        {
            sb.Append(words[rng.Next(words.Length)]).Append(rng.Next(12) == 0 ? ".\n" : " ");
        }

        return sb.ToString();
    }

    /// <summary>True when this process runs as root (who can read files with mode 000).</summary>
    public static bool IsRoot => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    /// <summary>
    /// Makes a file at <paramref name="path"/> that cannot be read: mode 000 for ordinary users, and for root
    /// (who ignores modes) a link to a file that does not exist.
    /// </summary>
    public static void MakeUnreadable(string path)
    {
        if (IsRoot || OperatingSystem.IsWindows())
        {
            File.CreateSymbolicLink(path, path + ".missing-target");
        }
        else
        {
            File.WriteAllText(path, "secret");
            File.SetUnixFileMode(path, UnixFileMode.None);
        }
    }

    /// <summary>
    /// Starts a process for a test, its output redirected, with an empty input of its own: the test process's
    /// input belongs to the xunit runner, which sends cancellation on it.
    /// </summary>
    public static Process Start(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Runs a process to completion with a time limit, capturing its output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using var p = Start(psi);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} did not finish in time");
        }

        return (p.ExitCode, await stdout, await stderr);
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var len = new byte[4];
        WriteBigEndian(len, 0, (uint)data.Length);
        s.Write(len);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        var crc = Crc32(typeBytes, data);
        var c = new byte[4];
        WriteBigEndian(c, 0, crc);
        s.Write(c);
    }

    private static uint Crc32(byte[] a, byte[] b)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var buf in new[] { a, b })
        {
            foreach (var x in buf)
            {
                crc ^= x;
                for (var k = 0; k < 8; k++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
                }
            }
        }

        return ~crc;
    }

    private static void WriteBigEndian(byte[] b, int o, uint v)
    {
        b[o] = (byte)(v >> 24);
        b[o + 1] = (byte)(v >> 16);
        b[o + 2] = (byte)(v >> 8);
        b[o + 3] = (byte)v;
    }
}
