using Atelier.Testing;
using Atelier.Transparency;
using Atelier.Transparency.Notes;
using BenchmarkDotNet.Attributes;

namespace Atelier.Bench.Transparency;

/// <summary>
/// Sequencing throughput: <see cref="Entries"/> registration-sized entries appended to an empty log in
/// batches of <see cref="BatchSize"/> over an in-memory object store. Reported per entry.
/// </summary>
public class AppendBenchmarks
{
    private ReadOnlyMemory<byte>[][] _batches = [];
    private NoteSigner _signer = null!;
    private LogWriter _writer = null!;

    [Params(16_384)]
    public int Entries { get; set; }

    [Params(16, 256, 4096)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _signer = NoteSigner.Parse(NoteKeys.Generate("bench.example/log").SignerKey);
        // About the size of a work-registration entry (≈ 330 bytes).
        var entries = Enumerable.Range(0, Entries)
            .Select(i => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{i},\"pad\":\"{new string('x', 300)}\",\"type\":\"bench\",\"v\":1}}"))
            .ToArray();
        _batches = entries.Chunk(BatchSize).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _signer.Dispose();

    [IterationSetup]
    public void NewLog() => _writer = new LogWriter(new MemoryObjectStore(), new InMemoryLogStateStore(), _signer);

    [Benchmark(OperationsPerInvoke = 16_384)]
    public async Task<long> AppendBatches()
    {
        AppendResult? last = null;
        foreach (var batch in _batches)
        {
            last = await _writer.AppendAsync(batch);
        }

        return last!.Checkpoint.Size;
    }
}
