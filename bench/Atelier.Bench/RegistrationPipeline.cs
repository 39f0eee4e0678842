using System.Diagnostics;
using Atelier.Catalog.Registration;
using Atelier.Storage.Files;
using Atelier.Storage.Sqlite;
using Atelier.Testing;
using Atelier.Transparency.Notes;

namespace Atelier.Bench;

/// <summary>
/// End-to-end sequencing throughput on the real stores (SQLite queue and state, log tiles in the blob
/// folder): N entries are queued, then the registration log's sequencer batches them into the Merkle log
/// with one signed checkpoint per batch. Fingerprinting and media decoding are excluded.
/// Usage: dotnet run -c Release --project bench/Atelier.Bench -- pipeline [entries] [runs] [maxBatch]
/// </summary>
public static class RegistrationPipeline
{
    public static async Task<int> RunAsync(string[] args)
    {
        var entries = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        var runs = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3;
        var maxBatch = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 1024;
        var sequencing = new List<double>();
        var queueing = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            using var dir = new TempDirectory("atelier-bench-log");
            await using var db = await SqliteCatalogStore.OpenAsync(dir.Combine("atelier.db"), CancellationToken.None);
            var objects = new FileSystemBlobStore(dir.Combine("blobs"));
            var (signerKey, _) = NoteKeys.Generate("bench.example/log");
            var signer = NoteSigner.Parse(signerKey);
            var options = new LogOptions { MaxBatchSize = maxBatch, MaxDelay = TimeSpan.FromMilliseconds(100) };
            await using var log = new RegistrationLog(db, objects, signer.Verifier, signer, options);

            var sw = Stopwatch.StartNew();
            var last = 0L;
            for (var i = 0; i < entries; i++)
            {
                var entry = System.Text.Encoding.UTF8.GetBytes($"{{\"type\":\"bench\",\"v\":1,\"n\":{i}}}");
                last = await db.EnqueueLogEntryAsync(null, entry);
            }

            queueing.Add(entries / sw.Elapsed.TotalSeconds);

            sw.Restart();
            log.StartSequencer();
            await log.WaitForIndexAsync(last);
            sequencing.Add(entries / sw.Elapsed.TotalSeconds);
            Console.WriteLine($"run {run + 1}: queued {queueing[^1]:N0} entries/s (one transaction each), sequenced {sequencing[^1]:N0} entries/s");
        }

        Console.WriteLine($"median over {runs} runs of {entries:N0} entries, batches of ≤ {maxBatch}: queue {Median(queueing):N0}/s, sequencing {Median(sequencing):N0}/s");
        return 0;
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
    }
}
