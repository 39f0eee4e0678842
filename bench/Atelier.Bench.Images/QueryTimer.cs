using System.Diagnostics;
using System.Globalization;
using Atelier.Fingerprints.Image;

namespace Atelier.Bench.Images;

/// <summary>Times 10,000 single radius-31 queries (p50, p99) and then queries per second on every core.</summary>
internal static class QueryTimer
{
    public static void Run(int n)
    {
        var (hashes, queries) = BenchData.RandomHashes(n, 10_000, seed: 2);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var build = Stopwatch.StartNew();
        using var index = new HammingIndex(hashes.Select((h, i) => (h, i)));
        build.Stop();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(FormattableString.Invariant($"{n:N0} hashes: built in {build.Elapsed.TotalSeconds:F2} s; index memory {index.MemoryBytes / 1e6:F0} MB by its own count, {(after - before) / 1e6:F0} MB by the GC (hashes included)"));

        var hits = new List<HammingHit>();
        for (var i = 0; i < 500; i++)
        {
            hits.Clear();
            index.Search(queries[i], 31, hits);
        }

        var times = new double[queries.Length];
        long found = 0;
        for (var i = 0; i < queries.Length; i++)
        {
            hits.Clear();
            var t = Stopwatch.GetTimestamp();
            index.Search(queries[i], 31, hits);
            times[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            found += hits.Count;
        }

        Array.Sort(times);
        Console.WriteLine(FormattableString.Invariant($"single query, radius 31: p50 {times[times.Length / 2]:F3} ms, p99 {times[times.Length * 99 / 100]:F3} ms, max {times[^1]:F3} ms ({found} hits over {queries.Length} queries)"));

        var cores = Environment.ProcessorCount;
        var wall = Stopwatch.StartNew();
        Parallel.For(0, cores, new ParallelOptions { MaxDegreeOfParallelism = cores }, c =>
        {
            var local = new List<HammingHit>();
            for (var i = c; i < queries.Length; i += cores)
            {
                local.Clear();
                index.Search(queries[i], 31, local);
            }
        });
        wall.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{queries.Length / wall.Elapsed.TotalSeconds:F0} queries/s on {cores} cores"));

        var scan = new List<int>();
        var s = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            scan.Clear();
            Hamming.FindWithin(hashes, queries[i], 31, scan);
        }

        Console.WriteLine(FormattableString.Invariant($"linear scan ({Hamming.Path}) for comparison: {s.Elapsed.TotalMilliseconds / 100:F2} ms per query"));
    }
}
