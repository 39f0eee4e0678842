using Atelier.Transparency.Merkle;
using Atelier.Transparency.Notes;
using BenchmarkDotNet.Attributes;

namespace Atelier.Bench.Transparency;

/// <summary>Signing a checkpoint (format + Ed25519) and opening one (parse + verify), with extra cosignatures to skip.</summary>
public class CheckpointBenchmarks
{
    private NoteSigner _signer = null!;
    private Checkpoint _checkpoint = null!;
    private byte[] _signed = [];

    [Params(0, 8)]
    public int OtherSignatures { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _signer = NoteSigner.Parse(NoteKeys.Generate("bench.example/log").SignerKey);
        _checkpoint = new Checkpoint("bench.example/log", 10_000_000, Hash.Leaf("root"u8));
        var witnesses = Enumerable.Range(0, OtherSignatures).Select(i => NoteSigner.Parse(NoteKeys.Generate($"witness{i}.example").SignerKey)).ToList();
        _signed = SignedNote.Sign(_checkpoint.Format(), [_signer, .. witnesses]);
        witnesses.ForEach(w => w.Dispose());
    }

    [GlobalCleanup]
    public void Cleanup() => _signer.Dispose();

    [Benchmark]
    public byte[] Sign() => _checkpoint.Sign(_signer);

    [Benchmark]
    public long Open() => Checkpoint.Open(_signed, _signer.Verifier).Size;
}
