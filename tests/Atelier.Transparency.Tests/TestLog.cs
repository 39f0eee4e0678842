using Atelier.Testing;
using Atelier.Transparency.Entries;
using Atelier.Transparency.Notes;

namespace Atelier.Transparency.Tests;

/// <summary>A log over in-memory stores, with a fresh key.</summary>
internal sealed class TestLog : IDisposable
{
    public const string Origin = "atelier.test/log";

    public TestLog()
    {
        Signer = NoteSigner.Parse(NoteKeys.Generate(Origin).SignerKey);
        Writer = new LogWriter(Store, State, Signer);
        Reader = new LogReader(Store, State);
    }

    public MemoryObjectStore Store { get; } = new();

    public InMemoryLogStateStore State { get; } = new();

    public NoteSigner Signer { get; }

    public LogWriter Writer { get; }

    public LogReader Reader { get; }

    /// <summary>A small entry of an ad-hoc test type, distinct for each index.</summary>
    public static byte[] Entry(long i) => new LogEntry("test-entry", 1, new Dictionary<string, object> { ["n"] = i }).Encode();

    /// <summary>Appends entries [from, from + count) in one batch.</summary>
    public Task<AppendResult> AppendAsync(long from, int count)
        => Writer.AppendAsync([.. Enumerable.Range(0, count).Select(i => (ReadOnlyMemory<byte>)Entry(from + i))], TestContext.Current.CancellationToken);

    public void Dispose() => Signer.Dispose();
}
