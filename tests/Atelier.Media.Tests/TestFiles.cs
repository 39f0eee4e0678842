using System.IO.Compression;
using System.Text;
using Atelier.Testing;

// The media stack ships native libvips for linux-x64 only, and these tests use FIFOs and Unix file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Atelier.Media.Tests;

/// <summary>Where the golden files live (under ../shared) and the fixtures the tests build themselves.</summary>
internal static class TestFiles
{
    public const string ImagesDev = "data/images/dev";
    public const string PdqModes = "vectors/pdq/data/misc-images/modes";
    public const string ExifRotation = "vectors/pdq/data/reg-test-input/exif-rotn";
    public const string TextDev = "data/text/dev";
    public const string AudioDev = "data/audio/dev";

    /// <summary>A JPEG from the dev set that has real content throughout (so a half file is really cut).</summary>
    public const string SampleJpeg = "data/images/dev/wiki-001.jpg";

    public const string SamplePng = "data/images/dev/kodim01.png";

    /// <summary>The shortest dev track (48.02 s per MANIFEST.tsv): Ogg Vorbis, 22,050 Hz, mono.</summary>
    public const string SampleOgg = "data/audio/dev/hyperrogue/hyperrogue_music_hr3-crossroads.ogg";

    public const double SampleOggSeconds = 48.017415;

    public static MediaInspector Inspector(MediaOptions? options = null) => new(options ?? new MediaOptions());

    /// <summary>
    /// Stages <paramref name="content"/> as <paramref name="name"/> in a fresh folder, inspects it and returns the
    /// refusal, checking on the way that the message does not give away the staging path.
    /// </summary>
    public static async Task<MediaException> RefusalAsync(byte[] content, string name, MediaOptions? options = null)
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine(name);
        await File.WriteAllBytesAsync(path, content, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<MediaException>(() => Inspector(options).InspectAsync(path, name, TestContext.Current.CancellationToken));

        Assert.DoesNotContain(temp.Path, error.Message, StringComparison.Ordinal);
        return error;
    }

    /// <summary>The rows of ../shared/<paramref name="folder"/>/MANIFEST.tsv without its header; null when absent.</summary>
    public static List<string[]>? ManifestRows(string folder)
    {
        var manifest = SharedData.Directory is { } root ? Path.Combine(root, folder, "MANIFEST.tsv") : null;
        return manifest is not null && File.Exists(manifest)
            ? [.. File.ReadLines(manifest).Skip(1).Where(line => line.Length > 0).Select(line => line.Split('\t'))]
            : null;
    }

    /// <summary>Path of a shared file, skipping the test when ../shared is absent.</summary>
    public static string Shared(string relative) => SharedData.RequireDirectory(relative);

    /// <summary>
    /// A PNG whose IHDR declares <paramref name="width"/> × <paramref name="height"/> 8-bit gray pixels but whose
    /// data holds a few rows only: the shape of a decompression bomb, a few hundred bytes on disk.
    /// </summary>
    public static byte[] DeclaredSizePng(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        WriteBigEndian(ihdr, 0, (uint)width);
        WriteBigEndian(ihdr, 4, (uint)height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // gray
        WriteChunk(png, "IHDR", ihdr);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(new byte[Math.Min(width + 1, 1 << 16) * 4]);
        }

        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>An uncompressed 24-bit bottom-up BMP (BITMAPINFOHEADER) with the given pixels.</summary>
    public static byte[] Bmp24(int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        var stride = ((width * 3) + 3) / 4 * 4;
        var data = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var row = (height - 1 - y) * stride;
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                data[row + (x * 3)] = b;
                data[row + (x * 3) + 1] = g;
                data[row + (x * 3) + 2] = r;
            }
        }

        using var bmp = new MemoryStream();
        using var writer = new BinaryWriter(bmp);
        writer.Write("BM"u8);
        writer.Write(54 + data.Length);
        writer.Write(0);
        writer.Write(54);
        writer.Write(40);
        writer.Write(width);
        writer.Write(height);
        writer.Write((short)1);
        writer.Write((short)24);
        writer.Write(0);
        writer.Write(data.Length);
        writer.Write(2835);
        writer.Write(2835);
        writer.Write(0);
        writer.Write(0);
        writer.Write(data);
        writer.Flush();
        return bmp.ToArray();
    }

    /// <summary>Runs ffmpeg to synthesise a fixture; skips the test when ffmpeg is not installed.</summary>
    public static void Ffmpeg(params string[] arguments)
    {
        var ffmpeg = RequireTool("ffmpeg");
        var start = new System.Diagnostics.ProcessStartInfo(ffmpeg);
        foreach (var argument in new[] { "-nostdin", "-hide_banner", "-v", "error", "-y" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Fixtures.Start(start);
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "ffmpeg fixture failed: " + error);
    }

    /// <summary>The tool's full path on PATH, or a skip saying how to install it.</summary>
    public static string RequireTool(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, name);
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Skip($"{name} is not on PATH" + (name.StartsWith("ff", StringComparison.Ordinal) ? " (apt-get install ffmpeg)" : string.Empty));
        return name;
    }

    /// <summary>Creates a named pipe (FIFO); opening one for reading blocks until a writer comes.</summary>
    public static void MakeFifo(string path)
    {
        var mkfifo = RequireTool("mkfifo");
        using var process = Fixtures.Start(new System.Diagnostics.ProcessStartInfo(mkfifo, [path]));
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Assert.Skip("mkfifo failed here (exit code " + process.ExitCode + ")");
        }
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        var header = new byte[8];
        WriteBigEndian(header, 0, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, header.AsSpan(4));
        png.Write(header);
        png.Write(data);
        var crc = new byte[4];
        WriteBigEndian(crc, 0, Crc32([.. header.AsSpan(4), .. data]));
        png.Write(crc);
    }

    private static void WriteBigEndian(byte[] buffer, int offset, uint value) =>
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(offset), value);

    /// <summary>PNG's CRC-32 (ISO 3309 polynomial, RFC 2083 §3.4), bit by bit: fixtures are tiny.</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
