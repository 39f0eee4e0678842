using System.Text;
using Atelier.Fingerprints.Text;
using BenchmarkDotNet.Attributes;

namespace Atelier.Bench.Text;

/// <summary>
/// A 10 KB suspect against an index of 100,000 synthetic documents (about 1 GB of text): analyse
/// the suspect and match it. "copied" embeds three passages of indexed documents (English and
/// Chinese) in new text; "clean" copies nothing. The index is built once per process.
/// </summary>
public class QueryBenchmarks
{
    private static readonly Lazy<SyntheticIndex> Shared = new(() => SyntheticIndex.Build(Documents, threads: Math.Min(2, Environment.ProcessorCount)));

    private string _query = "";

    /// <summary>Documents in the index; ATELIER_BENCH_DOCS overrides (for a quick trial).</summary>
    public static int Documents { get; } = int.TryParse(Environment.GetEnvironmentVariable("ATELIER_BENCH_DOCS"), out var n) ? n : 100_000;

    [Params("copied", "clean")]
    public string Query { get; set; } = "copied";

    [GlobalSetup]
    public void Setup()
    {
        var index = Shared.Value;
        Console.WriteLine($"// index: {index.Documents:N0} documents, {index.TextBytes / 1e6:N0} MB of text, {index.Index.FingerprintCount:N0} fingerprints, built in {index.BuildTime.TotalSeconds:F0} s, estimate {index.Index.EstimateMemoryBytes() / 1e6:N0} MB");
        _query = BuildQuery(Query == "copied");
        var matches = Match();
        Console.WriteLine($"// query: {Encoding.UTF8.GetByteCount(_query):N0} bytes, {matches.Count} matches: {string.Join(", ", matches.Select(m => $"{m.WorkId} {m.Grade} {m.Passages.Count}p"))}");
    }

    [Benchmark]
    public IReadOnlyList<TextMatch> Match() => Shared.Value.Index.Match(TextFingerprinter.Default.Analyze(_query));

    private static string BuildQuery(bool copied)
    {
        // New text from the same model (an id no indexed document has; English), with copied
        // passages inserted at a fifth, two fifths... of it, from the end so the offsets hold.
        var sb = new StringBuilder(BenchData.Document(1_000_001, copied ? 7_500 : 10_000));
        if (copied)
        {
            var sources = new[] { 17, 4_242, 55_555 % Documents, 80_000 % Documents };
            var host = sb.Length;
            for (var k = sources.Length - 1; k >= 0; k--)
            {
                var source = BenchData.Document(sources[k], SyntheticIndex.DocumentBytes);
                var length = BenchData.IsChinese(sources[k]) ? 200 : 600;
                sb.Insert(host * (k + 1) / (sources.Length + 1), "\n" + source.Substring(source.Length / 3, length) + "\n");
            }
        }

        return sb.ToString();
    }
}
