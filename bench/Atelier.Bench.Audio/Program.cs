using System.Diagnostics;
using System.Globalization;
using Atelier.Bench.Audio;
using Atelier.Fingerprints.Tests.Audio;
using BenchmarkDotNet.Running;

switch (args)
{
    case ["fixtures", .. var rest]:
        var watch = Stopwatch.StartNew();
        var set = await AudioFixtures.EnsureAsync(BenchData.DevDirectory, rest.Length > 0 ? Path.GetFullPath(rest[0]) : null, progress: Progress("queries"));
        Console.WriteLine($"{set.Queries.Count} queries ({set.Queries.Count(q => q.Unrelated)} of held-out tracks), "
            + $"{set.IndexedTracks.Count()} indexed and {set.Tracks.Count(t => !t.Indexed)} held-out tracks, in {set.Directory} ({watch.Elapsed.TotalSeconds:F0} s)");
        return 0;

    case ["eval", .. var rest]:
        var json = rest.Contains("--json");
        var directory = rest.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        var fixtures = await AudioFixtures.EnsureAsync(BenchData.DevDirectory, directory is null ? null : Path.GetFullPath(directory), progress: Progress("fixture queries"));
        var cpu = CpuTime.Self + CpuTime.Children;
        var report = await AudioEvaluation.RunAsync(fixtures, progress: Progress("queries matched"));
        Console.WriteLine(json ? report.ToJson() : report.ToTable());
        Console.Error.WriteLine($"evaluation: {CpuTime.Self + CpuTime.Children - cpu:F0} CPU-s (ffmpeg included)");
        return 0;

    case ["speed", .. var rest]:
        await SpeedBench.RunAsync(Option(rest, "--files", 20), Option(rest, "--runs", 5));
        return 0;

    case ["size"]:
        await SizeBench.RunAsync();
        return 0;

    case ["query", .. var rest]:
        await QueryBench.RunAsync(Option(rest, "--hours", 1000), Option(rest, "--per-condition", 10));
        return 0;

    case ["bdn", .. var rest]:
        BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(rest, new BenchConfig());
        return 0;

    default:
        Console.Error.WriteLine("""
            usage: dotnet run -c Release --project bench/Atelier.Bench.Audio -- COMMAND
              fixtures [DIR]              generate (or reuse) issue 5's excerpt queries in DIR (default:
                                          $ATELIER_AUDIO_FIXTURES, else ${TMPDIR:-/tmp}/atelier-audio-fixtures/5)
              eval [DIR] [--json]         identification rates per condition and length, false identifications
              speed [--files 20] [--runs 5]   audio seconds per CPU-second: fpcalc, ffmpeg decode, ours
              size                        index and stored fingerprint bytes per hour of audio
              query [--hours 1000] [--per-condition 10]
                                          10 s query latency against a synthesised index of that many hours
              bdn [BenchmarkDotNet args]  micro-benchmarks (e.g. bdn --filter '*')
            """);
        return 2;
}

static int Option(string[] rest, string name, int fallback)
{
    var at = Array.IndexOf(rest, name);
    return at >= 0 && at + 1 < rest.Length ? int.Parse(rest[at + 1], CultureInfo.InvariantCulture) : fallback;
}

static Progress<(int Done, int Total)> Progress(string what)
{
    var lastTenth = -1;
    return new Progress<(int Done, int Total)>(p =>
    {
        var tenth = p.Done * 10 / p.Total;
        if (tenth != Interlocked.Exchange(ref lastTenth, tenth))
        {
            Console.Error.WriteLine($"{p.Done}/{p.Total} {what}");
        }
    });
}
