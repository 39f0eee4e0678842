using System.Diagnostics;
using System.Text;
using Atelier.Fingerprints.Text;

namespace Atelier.Bench.Text;

/// <summary>
/// An index of synthetic documents (see <see cref="BenchData.Document"/>). The text of each
/// document is generated, fingerprinted and dropped, so only the index stays in memory.
/// </summary>
public sealed class SyntheticIndex
{
    public const int DocumentBytes = 10_000;

    private SyntheticIndex(TextIndex index, int documents, long textBytes, TimeSpan buildTime)
    {
        Index = index;
        Documents = documents;
        TextBytes = textBytes;
        BuildTime = buildTime;
    }

    public TextIndex Index { get; }

    public int Documents { get; }

    /// <summary>UTF-8 bytes of all the indexed text.</summary>
    public long TextBytes { get; }

    public TimeSpan BuildTime { get; }

    /// <summary>Work id of synthetic document <paramref name="id"/>.</summary>
    public static string WorkId(int id) => "doc-" + id.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public static SyntheticIndex Build(int documents, int threads)
    {
        var clock = Stopwatch.StartNew();
        var index = new TextIndex();
        long bytes = 0;
        const int Batch = 4096;
        var sets = new TextFingerprintSet[Batch];
        var sizes = new long[Batch];
        for (var start = 0; start < documents; start += Batch)
        {
            var count = Math.Min(Batch, documents - start);
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
            {
                var text = BenchData.Document(start + i, DocumentBytes);
                sizes[i] = Encoding.UTF8.GetByteCount(text);
                sets[i] = TextFingerprinter.Default.Fingerprint(text);
            });
            index.AddRange(Enumerable.Range(0, count).Select(i => KeyValuePair.Create(WorkId(start + i), sets[i])));
            bytes += sizes.AsSpan(0, count).ToArray().Sum();
        }

        return new SyntheticIndex(index, documents, bytes, clock.Elapsed);
    }
}
