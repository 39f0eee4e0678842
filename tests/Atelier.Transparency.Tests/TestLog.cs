using Atelier.Testing;
using Atelier.Transparency.Entries;
using Atelier.Transparency.Notes;
using Atelier.Transparency.Tests.Entries;

namespace Atelier.Transparency.Tests;

/// <summary>A log over in-memory stores, with a fresh key.</summary>
public sealed class TestLog : IDisposable
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

    /// <summary>
    /// A small entry of an ad-hoc test type, distinct for each index. Spelled out rather than built with
    /// <see cref="LogEntry"/> because large logs need many; <see cref="LogEntryTests"/> checks they agree.
    /// </summary>
    public static byte[] Entry(long i) => System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{i},\"type\":\"test-entry\",\"v\":1}}");

    /// <summary>Appends entries [from, from + count) in one batch.</summary>
    public Task<AppendResult> AppendAsync(long from, int count)
        => Writer.AppendAsync([.. Enumerable.Range(0, count).Select(i => (ReadOnlyMemory<byte>)Entry(from + i))], TestContext.Current.CancellationToken);

    public void Dispose() => Signer.Dispose();
}
