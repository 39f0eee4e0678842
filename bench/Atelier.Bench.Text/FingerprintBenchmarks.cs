using System.Text;
using Atelier.Fingerprints.Text;
using BenchmarkDotNet.Attributes;

namespace Atelier.Bench.Text;

/// <summary>
/// Fingerprinting throughput on one core over the dev corpus' texts (normalise, tokenise, hash,
/// winnow, MinHash): one operation fingerprints every document of the language once.
/// </summary>
public class FingerprintBenchmarks : IBytesPerOperation
{
    private string[] _documents = [];

    [Params("en", "zh")]
    public string Language { get; set; } = "en";

    public long BytesPerOperation => Documents().Sum(d => (long)Encoding.UTF8.GetByteCount(d));

    [GlobalSetup]
    public void Setup() => _documents = Documents();

    [Benchmark]
    public int Fingerprint()
    {
        var count = 0;
        foreach (var document in _documents)
        {
            count += TextFingerprinter.Default.Fingerprint(document).Count;
        }

        return count;
    }

    [Benchmark]
    public int Analyze()
    {
        var count = 0;
        foreach (var document in _documents)
        {
            count += TextFingerprinter.Default.Analyze(document).GramCount;
        }

        return count;
    }

    private string[] Documents() => Language == "en" ? BenchData.English : BenchData.Chinese;
}
