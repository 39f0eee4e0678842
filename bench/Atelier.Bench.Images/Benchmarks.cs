using Atelier.Fingerprints.Image;
using Atelier.Fingerprints.Tests.Image;
using BenchmarkDotNet.Attributes;

namespace Atelier.Bench.Images;

/// <summary>Fingerprinting one photo from its file: decode with shrink-on-load, then PDQ (8 dihedral), border trim and ORB.</summary>
public class FingerprintBenchmarks
{
    private string _path = "";

    [Params("kodim01.png", "wiki-001.jpg", "skimage-astronaut.png")]
    public string File { get; set; } = "";

    [Params(512)]
    public int DecodeSide { get; set; }

    [GlobalSetup]
    public void Setup() => _path = Path.Combine(BenchData.DevFolder, File);

    [Benchmark]
    public DecodedImage Decode() => VipsDecoder.Load(_path, DecodeSide);

    [Benchmark]
    public ImageFingerprint DecodeAndFingerprint()
    {
        var d = VipsDecoder.Load(_path, DecodeSide);
        return ImageFingerprinter.Compute(d.Pixels, d.Width, d.Height, d.Format, d.SourceWidth, d.SourceHeight);
    }

    [Benchmark]
    public PdqResult DecodeAndPdqOnly()
    {
        var d = VipsDecoder.Load(_path, DecodeSide);
        return PdqHasher.Hash(d.Pixels, d.Width, d.Height, d.Format);
    }
}

/// <summary>One radius-31 query against N random hashes: multi-index hashing and the linear scans.</summary>
public class IndexQueryBenchmarks
{
    private HammingIndex _index = null!;
    private PdqHash[] _hashes = [];
    private PdqHash[] _queries = [];
    private readonly List<int> _found = [];
    private int _next;

    [Params(100_000, 1_000_000)]
    public int Hashes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_hashes, _queries) = BenchData.RandomHashes(Hashes, 4096, seed: 1);
        _index = new HammingIndex(_hashes.Select((h, i) => (h, i)));
    }

    [GlobalCleanup]
    public void Cleanup() => _index.Dispose();

    [Benchmark]
    public int MultiIndexSearch() => _index.Search(_queries[_next++ & 4095], 31).Count;

    [Benchmark]
    public int ScanScalar()
    {
        _found.Clear();
        return Hamming.FindWithinScalar(_hashes, _queries[_next++ & 4095], 31, _found);
    }

    [Benchmark]
    public int ScanAvx2()
    {
        _found.Clear();
        return Hamming.FindWithinVectorized(_hashes, _queries[_next++ & 4095], 31, _found);
    }
}
