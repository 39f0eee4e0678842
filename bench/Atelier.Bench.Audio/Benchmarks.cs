using Atelier.Fingerprints.Audio;
using Atelier.Fingerprints.Tests.Audio;
using Atelier.Media.Audio;
using BenchmarkDotNet.Attributes;

namespace Atelier.Bench.Audio;

/// <summary>Fingerprinting alone (decoding done in setup), on the start of one dev track.</summary>
public class FingerprintBenchmarks
{
    private float[] _samples = [];

    /// <summary>Seconds of audio fingerprinted per operation.</summary>
    [Params(10, 60, 240)]
    public int Seconds { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        var track = AudioFixtures.ReadCorpus(BenchData.DevDirectory).First(t => t.Duration >= 240);
        _samples = await AudioDecoder.DecodeMonoAsync(Path.Combine(BenchData.DevDirectory, track.File), AudioFingerprinter.SampleRate, Seconds);
    }

    [Benchmark]
    public AudioFingerprint Compute() => AudioFingerprinter.Compute(_samples);
}

/// <summary>One 10 s query against the dev index (the fixture set's indexed tracks), per condition.</summary>
public class MatchBenchmarks
{
    private AudioIndex? _index;
    private AudioFingerprint[] _queries = [];
    private int _next;

    [Params("clean", "white-snr0", "speed+5", "pitch-2")]
    public string Condition { get; set; } = "clean";

    [GlobalSetup]
    public async Task Setup()
    {
        var set = await AudioFixtures.EnsureAsync(BenchData.DevDirectory);
        _index = await AudioEvaluation.BuildIndexAsync(set);
        var queries = set.Queries.Where(q => q.Length == 10 && !q.Unrelated && q.Condition.Name == Condition).ToList();
        _queries = new AudioFingerprint[queries.Count];
        for (var i = 0; i < queries.Count; i++)
        {
            _queries[i] = AudioFingerprinter.Compute(await AudioDecoder.DecodeMonoAsync(set.PathOf(queries[i]), AudioFingerprinter.SampleRate, 60));
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _index?.Dispose();

    [Benchmark]
    public IReadOnlyList<AudioMatch> Match() => _index!.Match(_queries[_next++ % _queries.Length]);
}
