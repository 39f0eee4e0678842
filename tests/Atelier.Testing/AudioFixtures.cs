using System.Buffers.Binary;

namespace Atelier.Testing;

/// <summary>
/// Music-like test recordings made on the spot, so audio tests need no ../shared: a seeded synthesiser writes
/// WAV files, and ffmpeg (which Atelier decodes with anyway) cuts, re-encodes and changes speed.
/// </summary>
public static class AudioFixtures
{
    /// <summary>Sample rate of the synthesised WAV files: CD-like enough that ffmpeg really resamples them.</summary>
    public const int SampleRate = 22_050;

    /// <summary>Skips the test unless ffmpeg and ffprobe are on PATH (Atelier decodes audio with them).</summary>
    public static void RequireFfmpeg()
    {
        foreach (var tool in new[] { "ffmpeg", "ffprobe" })
        {
            var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, tool)));
            if (!found)
            {
                Xunit.Assert.Skip($"{tool} is not on PATH: audio works need it (apt-get install ffmpeg)");
            }
        }
    }

    /// <summary>
    /// Distinct music per seed: a melody, a bass line and a chord voice of harmonic notes with attacks and
    /// decays, plus hi-hat noise on the eighth notes, so the spectrum has peaks that move the way music does.
    /// Frequencies are drawn on a continuous log scale, so two seeds share no tuning by construction.
    /// </summary>
    public static float[] Music(int seed, double seconds)
    {
        var rng = new Random(seed);
        var samples = new float[(int)(seconds * SampleRate)];
        AddVoice(samples, rng, lowHz: 330, highHz: 1900, minNote: 0.12, maxNote: 0.35, level: 0.5);
        AddVoice(samples, rng, lowHz: 110, highHz: 300, minNote: 0.4, maxNote: 0.9, level: 0.6);
        AddVoice(samples, rng, lowHz: 200, highHz: 900, minNote: 0.6, maxNote: 1.4, level: 0.3);
        var beat = 60.0 / (90 + rng.Next(60));
        for (var t = rng.NextDouble() * beat; t < seconds; t += beat / 2)
        {
            var start = (int)(t * SampleRate);
            var length = Math.Min(samples.Length - start, SampleRate / 25);
            for (var i = 0; i < length; i++)
            {
                samples[start + i] += (float)(0.15 * ((rng.NextDouble() * 2) - 1) * Math.Exp(-i / (SampleRate * 0.01)));
            }
        }

        var peak = samples.Max(Math.Abs);
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] *= 0.8f / peak;
        }

        return samples;
    }

    /// <summary>Seconds of digital silence.</summary>
    public static float[] Silence(double seconds) => new float[(int)(seconds * SampleRate)];

    /// <summary>Writes the parts one after another as 16-bit mono PCM WAV at <see cref="SampleRate"/>.</summary>
    public static void WriteWav(string path, params float[][] parts) =>
        WriteWav(path, parts.SelectMany(p => p).ToArray(), SampleRate);

    /// <summary>Writes mono samples as a WAV file: 16-bit PCM (clipped, rounded) or 32-bit float.</summary>
    public static void WriteWav(string path, ReadOnlySpan<float> samples, int sampleRate, bool float32 = false)
    {
        var bytesPerSample = float32 ? 4 : 2;
        var dataBytes = samples.Length * bytesPerSample;
        var buffer = new byte[44 + dataBytes];
        var span = buffer.AsSpan();
        System.Text.Encoding.ASCII.GetBytes("RIFF", span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataBytes);
        System.Text.Encoding.ASCII.GetBytes("WAVEfmt ", span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], (short)(float32 ? 3 : 1));
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * bytesPerSample);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], (short)bytesPerSample);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], (short)(bytesPerSample * 8));
        System.Text.Encoding.ASCII.GetBytes("data", span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataBytes);
        var data = span[44..];
        for (var i = 0; i < samples.Length; i++)
        {
            if (float32)
            {
                BinaryPrimitives.WriteSingleLittleEndian(data[(i * 4)..], samples[i]);
            }
            else
            {
                var value = Math.Clamp(MathF.Round(samples[i] * 32767f), short.MinValue, short.MaxValue);
                BinaryPrimitives.WriteInt16LittleEndian(data[(i * 2)..], (short)value);
            }
        }

        File.WriteAllBytes(path, buffer);
    }

    /// <summary>
    /// Cuts <paramref name="seconds"/> from <paramref name="startSeconds"/> of <paramref name="source"/> into
    /// <paramref name="target"/>, whose extension picks the codec (".mp3" 128 kbps, ".ogg" Vorbis), through an
    /// optional ffmpeg audio filter such as <c>atempo=1.05</c>.
    /// </summary>
    public static async Task ExcerptAsync(string source, string target, double startSeconds, double seconds, string? filter = null)
    {
        List<string> args = ["-nostdin", "-hide_banner", "-v", "error", "-y", "-ss", Invariant(startSeconds), "-t", Invariant(seconds), "-i", source];
        if (filter is not null)
        {
            args.AddRange(["-af", filter]);
        }

        args.AddRange(Path.GetExtension(target) switch
        {
            ".mp3" => ["-c:a", "libmp3lame", "-b:a", "128k"],
            ".ogg" => ["-c:a", "libvorbis", "-q:a", "4"],
            _ => (string[])[],
        });
        args.Add(target);
        var (code, _, stderr) = await Fixtures.RunAsync("ffmpeg", args, timeout: TimeSpan.FromMinutes(1));
        Xunit.Assert.True(code == 0, "ffmpeg fixture failed: " + stderr);
    }

    /// <summary>
    /// A speed change like a turntable's: tempo and pitch together by <paramref name="factor"/> (the samples are
    /// relabelled at a higher rate, then resampled back).
    /// </summary>
    public static string SpeedFilter(double factor) => $"asetrate={Invariant(SampleRate * factor)},aresample={SampleRate}";

    private static void AddVoice(float[] samples, Random rng, double lowHz, double highHz, double minNote, double maxNote, double level)
    {
        var t = rng.NextDouble() * minNote;
        var seconds = (double)samples.Length / SampleRate;
        while (t < seconds)
        {
            var length = minNote + (rng.NextDouble() * (maxNote - minNote));
            var hz = lowHz * Math.Pow(highHz / lowHz, rng.NextDouble());
            var start = (int)(t * SampleRate);
            var end = Math.Min(samples.Length, (int)((t + length) * SampleRate));
            var velocity = level * (0.6 + (0.4 * rng.NextDouble()));
            for (var i = start; i < end; i++)
            {
                var x = (double)(i - start) / SampleRate;
                var envelope = Math.Min(1, x / 0.01) * Math.Exp(-3 * x / length);
                var phase = 2 * Math.PI * hz * x;
                var tone = Math.Sin(phase) + (0.5 * Math.Sin(2 * phase)) + (0.33 * Math.Sin(3 * phase)) + (0.25 * Math.Sin(4 * phase));
                samples[i] += (float)(velocity * envelope * tone / 2.1);
            }

            // Legato or a short rest before the next note.
            t += length * (rng.Next(4) == 0 ? 1.3 : 1.0);
        }
    }

    private static string Invariant(double value) => value.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
}
