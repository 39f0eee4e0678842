using System.Diagnostics;
using System.Globalization;

namespace Atelier.Bench.Text;

/// <summary>
/// Builds the synthetic index and reports its memory per MB of indexed text: the managed heap
/// growth after a full collection, and the index's own estimate of its structures.
/// </summary>
public static class IndexMemoryReport
{
    public static void Run(int documents)
    {
        var ci = CultureInfo.InvariantCulture;
        _ = BenchData.Document(0, 100); // load the corpus and train the models before measuring
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var built = SyntheticIndex.Build(documents, threads: Math.Min(2, Environment.ProcessorCount));
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var heap = after - before;
        var estimate = built.Index.EstimateMemoryBytes();
        var mb = built.TextBytes / 1e6;
        Console.WriteLine(string.Format(ci, "documents: {0:N0}, text: {1:N1} MB (UTF-8), fingerprints: {2:N0}, built in {3:F1} s", documents, mb, built.Index.FingerprintCount, built.BuildTime.TotalSeconds));
        Console.WriteLine(string.Format(ci, "managed heap growth: {0:N1} MB = {1:F3} MB per MB of text", heap / 1e6, heap / 1e6 / mb));
        Console.WriteLine(string.Format(ci, "index estimate:      {0:N1} MB = {1:F3} MB per MB of text", estimate / 1e6, estimate / 1e6 / mb));
        Console.WriteLine(string.Format(ci, "peak working set:    {0:N1} MB", Process.GetCurrentProcess().PeakWorkingSet64 / 1e6));
        GC.KeepAlive(built);
    }
}
