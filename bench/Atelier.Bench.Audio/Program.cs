using System.Diagnostics;
using Atelier.Bench.Audio;
using Atelier.Fingerprints.Tests.Audio;

switch (args)
{
    case ["fixtures", .. var rest]:
        var watch = Stopwatch.StartNew();
        var last = -1;
        var set = await AudioFixtures.EnsureAsync(
            BenchData.DevDirectory,
            rest.Length > 0 ? Path.GetFullPath(rest[0]) : null,
            progress: new Progress<(int Done, int Total)>(p =>
            {
                var percent = p.Done * 100 / p.Total;
                if (percent / 10 != Interlocked.Exchange(ref last, percent / 10))
                {
                    Console.Error.WriteLine($"{p.Done}/{p.Total} queries");
                }
            }));
        Console.WriteLine($"{set.Queries.Count} queries ({set.Queries.Count(q => q.Unrelated)} of held-out tracks), "
            + $"{set.IndexedTracks.Count()} indexed and {set.Tracks.Count(t => !t.Indexed)} held-out tracks, in {set.Directory} ({watch.Elapsed.TotalSeconds:F0} s)");
        return 0;
    default:
        Console.Error.WriteLine("""
            usage: dotnet run -c Release --project bench/Atelier.Bench.Audio -- COMMAND
              fixtures [DIR]   generate (or reuse) the excerpt queries of issue 5 in DIR
                               (default: $ATELIER_AUDIO_FIXTURES, else ${TMPDIR:-/tmp}/atelier-audio-fixtures/5)
            """);
        return 2;
}
