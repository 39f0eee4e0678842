using System.Globalization;
using System.Text;

namespace Atelier.Fingerprints.Tests.Audio;

/// <summary>How a query excerpt is degraded.</summary>
public enum AudioTransform
{
    /// <summary>Cut only.</summary>
    None,

    /// <summary>MP3 round trip with ffmpeg's libmp3lame; Amount is the bit rate in kbit/s.</summary>
    Mp3,

    /// <summary>Gaussian white noise added; Amount is the SNR in dB against the excerpt's own RMS.</summary>
    WhiteNoise,

    /// <summary>Pink (1/f) noise added; Amount is the SNR in dB against the excerpt's own RMS.</summary>
    PinkNoise,

    /// <summary>sox <c>sinc -Amount</c>: a steep low-pass at Amount Hz.</summary>
    LowPass,

    /// <summary>sox <c>reverb</c>, Amount is the reverberance in percent (the other settings are sox's defaults).</summary>
    Reverb,

    /// <summary>Gain of Amount dB.</summary>
    Volume,

    /// <summary>sox <c>tempo -m Amount</c>: faster by the factor, pitch kept (WSOLA).</summary>
    Tempo,

    /// <summary>sox <c>speed Amount</c>: tempo and pitch together, like a faster turntable.</summary>
    Speed,

    /// <summary>sox <c>pitch Amount</c>: pitch moved by Amount cents, tempo kept.</summary>
    Pitch,
}

/// <summary>One degradation of the acceptance list of issue 5, with the speed and pitch factors it implies.</summary>
/// <param name="Name">Stable name used in the manifest and reports.</param>
/// <param name="Group">The row of the issue's target table it belongs to.</param>
/// <param name="Transform">What is done to the excerpt.</param>
/// <param name="Amount">The transform's parameter (see <see cref="AudioTransform"/>).</param>
/// <param name="Speed">Expected speed factor: the query plays this many times faster than the original.</param>
/// <param name="Pitch">Expected pitch factor: query frequencies over original ones.</param>
public sealed record AudioCondition(string Name, string Group, AudioTransform Transform, double Amount, double Speed, double Pitch)
{
    /// <summary>The target group of clean-ish conditions: clean, MP3, reverb, volume, low-pass.</summary>
    public const string Mild = "mild";

    /// <summary>The target group of noise at 10 dB SNR.</summary>
    public const string Noise10 = "noise-10db";

    /// <summary>The target group of noise at 0 dB SNR.</summary>
    public const string Noise0 = "noise-0db";

    /// <summary>The target group of tempo, speed and pitch changes.</summary>
    public const string Scale = "tempo-speed-pitch";

    private static readonly double TwoSemitones = Math.Pow(2, 2.0 / 12);

    /// <summary>All conditions of issue 5, in report order.</summary>
    public static IReadOnlyList<AudioCondition> All { get; } =
    [
        new("clean", Mild, AudioTransform.None, 0, 1, 1),
        new("mp3-64k", Mild, AudioTransform.Mp3, 64, 1, 1),
        new("lowpass-3k", Mild, AudioTransform.LowPass, 3000, 1, 1),
        new("reverb", Mild, AudioTransform.Reverb, 50, 1, 1),
        new("volume-12db", Mild, AudioTransform.Volume, -12, 1, 1),
        new("white-snr10", Noise10, AudioTransform.WhiteNoise, 10, 1, 1),
        new("pink-snr10", Noise10, AudioTransform.PinkNoise, 10, 1, 1),
        new("white-snr0", Noise0, AudioTransform.WhiteNoise, 0, 1, 1),
        new("pink-snr0", Noise0, AudioTransform.PinkNoise, 0, 1, 1),
        new("tempo+5", Scale, AudioTransform.Tempo, 1.05, 1.05, 1),
        new("tempo-5", Scale, AudioTransform.Tempo, 0.95, 0.95, 1),
        new("speed+5", Scale, AudioTransform.Speed, 1.05, 1.05, 1.05),
        new("speed-5", Scale, AudioTransform.Speed, 0.95, 0.95, 0.95),
        new("pitch+2", Scale, AudioTransform.Pitch, 200, 1, TwoSemitones),
        new("pitch-2", Scale, AudioTransform.Pitch, -200, 1, 1 / TwoSemitones),
    ];

    /// <summary>The condition called <paramref name="name"/>.</summary>
    public static AudioCondition Named(string name) =>
        All.FirstOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"unknown audio condition '{name}'");
}

/// <summary>A track of the dev corpus and its role in the evaluation.</summary>
/// <param name="File">Path relative to the dev folder, e.g. colobot/games_colobot_music_Constructive.ogg.</param>
/// <param name="Duration">Seconds, from MANIFEST.tsv.</param>
/// <param name="Indexed">True for tracks put in the index; false for the held-out ("unrelated") tracks.</param>
public sealed record AudioFixtureTrack(string File, double Duration, bool Indexed)
{
    /// <summary>The top folder (the game the track comes from).</summary>
    public string Folder => File.Split('/')[0];
}

/// <summary>One query excerpt (a line of manifest.tsv).</summary>
/// <param name="Id">q0001...</param>
/// <param name="File">WAV path relative to the fixture folder.</param>
/// <param name="Condition">The degradation applied.</param>
/// <param name="Length">Nominal length in seconds (5 or 10): the query's length after the transform.</param>
/// <param name="Source">The track it was cut from (relative to the dev folder).</param>
/// <param name="Unrelated">True when the source is a held-out track: any match is a false identification.</param>
/// <param name="Offset">Where the cut starts in the source, in seconds, before any transform: the true OriginalStart.</param>
/// <param name="CutSeconds">Seconds cut from the source (Length times the speed factor, so the query lasts Length).</param>
public sealed record AudioFixtureQuery(
    string Id, string File, AudioCondition Condition, double Length, string Source, bool Unrelated, double Offset, double CutSeconds)
{
    /// <summary>Expected speed factor (query tempo over original tempo).</summary>
    public double Speed => Condition.Speed;

    /// <summary>Expected pitch factor (query frequencies over original ones).</summary>
    public double Pitch => Condition.Pitch;
}

/// <summary>A generated fixture set: the track split and the query excerpts, on disk in <see cref="Directory"/>.</summary>
public sealed class AudioFixtureSet(string directory, string devDirectory, IReadOnlyList<AudioFixtureTrack> tracks, IReadOnlyList<AudioFixtureQuery> queries)
{
    /// <summary>The fixture folder (manifest.tsv, tracks.tsv, queries/).</summary>
    public string Directory { get; } = directory;

    /// <summary>The dev corpus folder the tracks are relative to.</summary>
    public string DevDirectory { get; } = devDirectory;

    public IReadOnlyList<AudioFixtureTrack> Tracks { get; } = tracks;

    public IReadOnlyList<AudioFixtureQuery> Queries { get; } = queries;

    /// <summary>The tracks that go in the index.</summary>
    public IEnumerable<AudioFixtureTrack> IndexedTracks => Tracks.Where(t => t.Indexed);

    /// <summary>Absolute path of a query's WAV file.</summary>
    public string PathOf(AudioFixtureQuery query) => Path.Combine(Directory, query.File);

    /// <summary>Absolute path of a corpus track.</summary>
    public string PathOf(AudioFixtureTrack track) => Path.Combine(DevDirectory, track.File);
}

/// <summary>
/// Builds the excerpt queries of issue 5's acceptance list from ../shared/data/audio/dev, deterministically
/// from a seed, with sox and ffmpeg, and caches them in a folder reused when complete.
/// </summary>
/// <remarks>
/// The tracks are split per folder (game) into indexed and held-out ones, so the held-out "unrelated" music
/// comes from every folder and resembles what is indexed. Each query is cut from a random offset, at 22,050 Hz
/// (the corpus rate) as float, then degraded and written as 16-bit mono WAV. Excerpts that are mostly silence
/// are redrawn: nothing can identify silence, and scoring it would measure the corpus, not the method.
/// For tempo and speed factor s, Length × s seconds are cut so the query lasts Length; the true offset in the
/// original is the cut's start whatever the transform.
/// </remarks>
public static class AudioFixtures
{
    /// <summary>The default seed (bump <see cref="Version"/>, not the seed, when the generator changes).</summary>
    public const int DefaultSeed = 5;

    /// <summary>Generator version; a cached set made by another version is rebuilt.</summary>
    public const int Version = 1;

    /// <summary>Sample rate of the query WAV files (the corpus's own).</summary>
    public const int QuerySampleRate = 22050;

    /// <summary>Query lengths in seconds.</summary>
    public static readonly double[] Lengths = [5, 10];

    /// <summary>Name of the manifest of queries, tab-separated with a header line.</summary>
    public const string ManifestName = "manifest.tsv";

    /// <summary>Name of the track split, tab-separated with a header line.</summary>
    public const string TracksName = "tracks.tsv";

    /// <summary>Written last: the parameters the set was made with; a set without it is incomplete.</summary>
    public const string CompleteName = "COMPLETE";

    private const string ManifestHeader = "id\tfile\tcondition\tgroup\tlength_s\tsource\trole\toffset_s\tcut_s\tspeed\tpitch";

    /// <summary>The tools the generator runs.</summary>
    public static readonly string[] Tools = ["sox", "ffmpeg"];

    /// <summary>The fixture folder: ATELIER_AUDIO_FIXTURES, else ${TMPDIR:-/tmp}/atelier-audio-fixtures/&lt;seed&gt;.</summary>
    public static string DefaultDirectory(int seed = DefaultSeed)
    {
        var fromEnv = Environment.GetEnvironmentVariable("ATELIER_AUDIO_FIXTURES");
        return !string.IsNullOrEmpty(fromEnv)
            ? Path.GetFullPath(fromEnv)
            : Path.Combine(Path.GetTempPath(), "atelier-audio-fixtures", seed.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>What a set holds: how many queries per condition and length, how many unrelated ones per length.</summary>
    /// <param name="Seed">Drives the split, the offsets and the noise.</param>
    /// <param name="PerCondition">Queries per condition and per length, from indexed tracks.</param>
    /// <param name="UnrelatedPerLength">Queries of held-out tracks per length; they cycle through the conditions.</param>
    /// <param name="HeldOutShare">Share of each folder's tracks held out of the index (at least one per folder).</param>
    public sealed record Plan(int Seed = DefaultSeed, int PerCondition = 50, int UnrelatedPerLength = 150, double HeldOutShare = 0.2)
    {
        internal string Describe() => string.Create(
            CultureInfo.InvariantCulture,
            $"version={Version} seed={Seed} per-condition={PerCondition} unrelated-per-length={UnrelatedPerLength} held-out-share={HeldOutShare}");
    }

    /// <summary>
    /// Returns the fixture set in <paramref name="directory"/>, generating whatever is missing (2 tool processes at a time).
    /// </summary>
    /// <param name="devDirectory">The dev corpus (holding MANIFEST.tsv).</param>
    /// <param name="directory">The cache folder; <see cref="DefaultDirectory"/> when null.</param>
    /// <param name="plan">What to generate; the default plan when null.</param>
    /// <param name="progress">Told of each query written (done, total).</param>
    /// <param name="ct">Stops the generation; what is written stays for the next run.</param>
    public static async Task<AudioFixtureSet> EnsureAsync(
        string devDirectory, string? directory = null, Plan? plan = null, IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        plan ??= new Plan();
        directory ??= DefaultDirectory(plan.Seed);
        var complete = Path.Combine(directory, CompleteName);
        if (File.Exists(complete) && File.ReadAllText(complete).Trim() == plan.Describe())
        {
            // A query deleted since is made again below (the others are kept), rather than failing the evaluation.
            var existing = Load(directory, devDirectory);
            if (existing.Queries.All(q => File.Exists(existing.PathOf(q))))
            {
                return existing;
            }
        }

        if (FindMissingTool() is { } missing)
        {
            throw new InvalidOperationException($"{missing} is not on PATH: the audio fixtures need sox and ffmpeg (apt-get install sox libsox-fmt-all ffmpeg)");
        }

        System.IO.Directory.CreateDirectory(Path.Combine(directory, "queries"));
        File.Delete(complete);
        var tracks = Split(ReadCorpus(devDirectory), plan);
        var specs = PlanQueries(tracks, plan);
        var queries = new AudioFixtureQuery[specs.Count];
        var done = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, specs.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct },
            async (i, token) =>
            {
                queries[i] = await MakeAsync(devDirectory, directory, specs[i], plan.Seed, token);
                progress?.Report((Interlocked.Increment(ref done), specs.Count));
            });

        WriteTable(Path.Combine(directory, TracksName), "file\tduration_s\trole", tracks.Select(t => $"{t.File}\t{AudioTools.Invariant(t.Duration)}\t{(t.Indexed ? "indexed" : "unrelated")}"));
        WriteTable(Path.Combine(directory, ManifestName), ManifestHeader, queries.Select(FormatQuery));
        File.WriteAllText(complete, plan.Describe() + "\n");
        return Load(directory, devDirectory);
    }

    /// <summary>The first of sox/ffmpeg not on PATH, or null.</summary>
    public static string? FindMissingTool() => AudioTools.FindMissing(Tools);

    /// <summary>Reads a complete set (tracks.tsv and manifest.tsv) from <paramref name="directory"/>.</summary>
    public static AudioFixtureSet Load(string directory, string devDirectory)
    {
        var tracks = ReadTable(Path.Combine(directory, TracksName))
            .Select(f => new AudioFixtureTrack(f[0], Parse(f[1]), f[2] == "indexed"))
            .ToList();
        var queries = ReadTable(Path.Combine(directory, ManifestName))
            .Select(f => new AudioFixtureQuery(f[0], f[1], AudioCondition.Named(f[2]), Parse(f[4]), f[5], f[6] == "unrelated", Parse(f[7]), Parse(f[8])))
            .ToList();
        return new AudioFixtureSet(directory, devDirectory, tracks, queries);
    }

    /// <summary>The corpus's tracks and durations, from MANIFEST.tsv, in file order.</summary>
    public static IReadOnlyList<AudioFixtureTrack> ReadCorpus(string devDirectory) =>
        ReadTable(Path.Combine(devDirectory, "MANIFEST.tsv"))
            .Select(f => new AudioFixtureTrack(f[0], Parse(f[1]), Indexed: true))
            .OrderBy(t => t.File, StringComparer.Ordinal)
            .ToList();

    /// <summary>Holds out <see cref="Plan.HeldOutShare"/> of each folder's tracks (at least one), chosen by the seed.</summary>
    public static IReadOnlyList<AudioFixtureTrack> Split(IReadOnlyList<AudioFixtureTrack> corpus, Plan plan)
    {
        var random = new Random(plan.Seed);
        var heldOut = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in corpus.GroupBy(t => t.Folder).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var files = folder.Select(t => t.File).ToArray();
            random.Shuffle(files);
            var count = Math.Max(1, (int)Math.Round(files.Length * plan.HeldOutShare));
            heldOut.UnionWith(files.Take(Math.Min(count, files.Length - 1)));
        }

        return corpus.Select(t => t with { Indexed = !heldOut.Contains(t.File) }).ToList();
    }

    private sealed record Spec(int Index, AudioCondition Condition, double Length, AudioFixtureTrack Track, bool Unrelated);

    private static List<Spec> PlanQueries(IReadOnlyList<AudioFixtureTrack> tracks, Plan plan)
    {
        var random = new Random(plan.Seed + 1);
        var indexed = tracks.Where(t => t.Indexed).ToArray();
        var heldOut = tracks.Where(t => !t.Indexed).ToArray();
        var specs = new List<Spec>();
        foreach (var length in Lengths)
        {
            foreach (var condition in AudioCondition.All)
            {
                // A fresh permutation per condition and length: queries spread over as many tracks as possible.
                var order = indexed.ToArray();
                random.Shuffle(order);
                for (var i = 0; i < plan.PerCondition; i++)
                {
                    specs.Add(new Spec(specs.Count, condition, length, order[i % order.Length], Unrelated: false));
                }
            }

            var unrelatedOrder = heldOut.ToArray();
            random.Shuffle(unrelatedOrder);
            for (var i = 0; i < plan.UnrelatedPerLength; i++)
            {
                var condition = AudioCondition.All[i % AudioCondition.All.Count];
                specs.Add(new Spec(specs.Count, condition, length, unrelatedOrder[i % unrelatedOrder.Length], Unrelated: true));
            }
        }

        return specs;
    }

    private static async Task<AudioFixtureQuery> MakeAsync(string devDirectory, string directory, Spec spec, int seed, CancellationToken ct)
    {
        var id = $"q{spec.Index + 1:D4}";
        var file = $"queries/{id}.wav";
        var output = Path.Combine(directory, file);

        // Each query draws from its own generator, so the set does not depend on the order of the parallel work.
        var random = new Random(unchecked((seed * 1_000_003) + spec.Index));
        var cut = spec.Length * spec.Condition.Speed;
        var latest = spec.Track.Duration - cut - 0.5;
        if (latest <= 0)
        {
            throw new InvalidOperationException($"{spec.Track.File} ({spec.Track.Duration} s) is too short for a {cut} s excerpt");
        }

        double offset = 0;
        float[]? samples = null;
        for (var attempt = 0; attempt < 20 && samples is null; attempt++)
        {
            // Millisecond offsets keep the manifest exact as written.
            offset = Math.Round(random.NextDouble() * latest, 3);
            var excerpt = await AudioTools.DecodeAsync(Path.Combine(devDirectory, spec.Track.File), offset, cut, QuerySampleRate, ct);
            samples = IsAudible(excerpt) ? excerpt : null;
        }

        if (samples is null)
        {
            throw new InvalidOperationException($"{spec.Track.File}: no audible {cut} s excerpt in 20 tries");
        }

        // A query left by an interrupted run is kept: the draws above are the same, so it is the same query.
        if (!File.Exists(output))
        {
            await DegradeAsync(samples, spec.Condition, output, random, ct);
        }

        return new AudioFixtureQuery(id, file, spec.Condition, spec.Length, spec.Track.File, spec.Unrelated, offset, cut);
    }

    /// <summary>
    /// The track split alone, without generating queries (for tests that need only the indexed tracks);
    /// fingerprints cached for it share the folder of the full set.
    /// </summary>
    public static AudioFixtureSet TracksOnly(string devDirectory, string? directory = null, Plan? plan = null)
    {
        plan ??= new Plan();
        return new AudioFixtureSet(directory ?? DefaultDirectory(plan.Seed), devDirectory, Split(ReadCorpus(devDirectory), plan), []);
    }

    /// <summary>True when at least <paramref name="share"/> of the half-second blocks are above -45 dBFS.</summary>
    public static bool IsAudible(ReadOnlySpan<float> samples, int sampleRate = QuerySampleRate, double share = 0.8)
    {
        var block = sampleRate / 2;
        var blocks = samples.Length / block;
        var loud = 0;
        for (var b = 0; b < blocks; b++)
        {
            if (AudioTools.Rms(samples.Slice(b * block, block)) > 0.0056)
            {
                loud++;
            }
        }

        return blocks > 0 && loud >= share * blocks;
    }

    private static async Task DegradeAsync(float[] samples, AudioCondition condition, string output, Random random, CancellationToken ct)
    {
        // Written under a temporary name and renamed: an interrupted run never leaves a half-written query behind.
        var partial = output + ".part.wav";
        var input = output + ".in.wav";
        try
        {
            switch (condition.Transform)
            {
                case AudioTransform.None:
                    AudioTools.WriteWav(partial, samples, QuerySampleRate);
                    break;
                case AudioTransform.Volume:
                    var gain = (float)Math.Pow(10, condition.Amount / 20);
                    AudioTools.WriteWav(partial, samples.Select(s => s * gain).ToArray(), QuerySampleRate);
                    break;
                case AudioTransform.WhiteNoise or AudioTransform.PinkNoise:
                    AudioTools.WriteWav(partial, AddNoise(samples, condition.Amount, condition.Transform == AudioTransform.PinkNoise, random), QuerySampleRate);
                    break;
                case AudioTransform.Mp3:
                    var mp3 = output + ".mp3";
                    AudioTools.WriteWav(input, samples, QuerySampleRate, float32: true);
                    try
                    {
                        await AudioTools.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", input, "-c:a", "libmp3lame", "-b:a", AudioTools.Invariant(condition.Amount) + "k", mp3], ct);
                        await AudioTools.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", mp3, "-ac", "1", "-ar", AudioTools.Invariant(QuerySampleRate), "-c:a", "pcm_s16le", "-f", "wav", partial], ct);
                    }
                    finally
                    {
                        File.Delete(mp3);
                    }

                    break;
                default:
                    AudioTools.WriteWav(input, samples, QuerySampleRate, float32: true);

                    // -R: repeatable (fixed dither seed); -G: guard against clipping; -V1: errors only.
                    await AudioTools.RunAsync("sox", ["-R", "-G", "-V1", input, "-b", "16", "-c", "1", "-t", "wav", partial, .. SoxEffect(condition)], ct);
                    break;
            }

            File.Move(partial, output, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
            File.Delete(input);
        }
    }

    private static string[] SoxEffect(AudioCondition condition)
    {
        var amount = AudioTools.Invariant(condition.Amount);
        return condition.Transform switch
        {
            AudioTransform.LowPass => ["sinc", "-" + amount],
            AudioTransform.Reverb => ["reverb", amount],
            AudioTransform.Tempo => ["tempo", "-m", amount],
            AudioTransform.Speed => ["speed", amount, "rate", "-h", AudioTools.Invariant(QuerySampleRate)],
            AudioTransform.Pitch => ["pitch", amount],
            _ => throw new ArgumentOutOfRangeException(nameof(condition), condition.Transform, "not a sox transform"),
        };
    }

    /// <summary>
    /// Adds Gaussian white or pink noise scaled so that RMS(excerpt) / RMS(noise) is exactly <paramref name="snrDb"/>;
    /// the sum is scaled down as a whole if it would clip, which keeps the SNR.
    /// </summary>
    public static float[] AddNoise(ReadOnlySpan<float> samples, double snrDb, bool pink, Random random)
    {
        var noise = new double[samples.Length];
        // Paul Kellet's "refined" pink filter (musicdsp.org, "Filter to make pink noise from white"): seven
        // first-order sections whose sum falls at -3 dB per octave; designed for 44.1 kHz, at 22.05 kHz its
        // band simply starts an octave lower.
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
        for (var i = 0; i < noise.Length; i++)
        {
            // Box-Muller: one Gaussian per pair of uniforms (1 - u keeps the logarithm finite).
            var white = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            if (!pink)
            {
                noise[i] = white;
                continue;
            }

            b0 = (0.99886 * b0) + (white * 0.0555179);
            b1 = (0.99332 * b1) + (white * 0.0750759);
            b2 = (0.96900 * b2) + (white * 0.1538520);
            b3 = (0.86650 * b3) + (white * 0.3104856);
            b4 = (0.55000 * b4) + (white * 0.5329522);
            b5 = (-0.7616 * b5) - (white * 0.0168980);
            noise[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + (white * 0.5362);
            b6 = white * 0.115926;
        }

        var signalRms = AudioTools.Rms(samples);
        var noiseRms = Math.Sqrt(noise.Sum(n => n * n) / Math.Max(1, noise.Length));
        var scale = noiseRms == 0 ? 0 : signalRms / Math.Pow(10, snrDb / 20) / noiseRms;
        var mixed = new float[samples.Length];
        var peak = 0f;
        for (var i = 0; i < mixed.Length; i++)
        {
            mixed[i] = (float)(samples[i] + (noise[i] * scale));
            peak = Math.Max(peak, Math.Abs(mixed[i]));
        }

        if (peak > 0.999f)
        {
            var down = 0.999f / peak;
            for (var i = 0; i < mixed.Length; i++)
            {
                mixed[i] *= down;
            }
        }

        return mixed;
    }

    private static string FormatQuery(AudioFixtureQuery q) => string.Join(
        '\t',
        q.Id,
        q.File,
        q.Condition.Name,
        q.Condition.Group,
        AudioTools.Invariant(q.Length),
        q.Source,
        q.Unrelated ? "unrelated" : "indexed",
        AudioTools.Invariant(q.Offset),
        AudioTools.Invariant(q.CutSeconds),
        AudioTools.Invariant(q.Speed),
        AudioTools.Invariant(q.Pitch));

    private static void WriteTable(string path, string header, IEnumerable<string> lines)
    {
        var text = new StringBuilder(header).Append('\n');
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        File.WriteAllText(path + ".tmp", text.ToString());
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static IEnumerable<string[]> ReadTable(string path) =>
        File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t'));

    private static double Parse(string value) => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
}
