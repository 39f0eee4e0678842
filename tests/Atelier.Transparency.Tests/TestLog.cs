using Atelier.Core;
using Atelier.Testing;
using Atelier.Transparency.Audit;
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

    /// <summary>Entries [from, from + count) as one batch.</summary>
    public static ReadOnlyMemory<byte>[] Entries(long from, int count) => [.. Enumerable.Range(0, count).Select(i => (ReadOnlyMemory<byte>)Entry(from + i))];

    /// <summary>Appends entries [from, from + count) in one batch.</summary>
    public Task<AppendResult> AppendAsync(long from, int count) => Writer.AppendAsync(Entries(from, count), TestContext.Current.CancellationToken);

    /// <summary>Audits the log up to the published checkpoint, or up to <paramref name="signedCheckpoint"/>.</summary>
    public Task<AuditReport> AuditAsync(byte[]? signedCheckpoint = null)
        => new LogAuditor(Store, Signer.Verifier).AuditAsync(signedCheckpoint, TestContext.Current.CancellationToken);

    public void Dispose() => Signer.Dispose();
}

/// <summary>An object store whose writes fail on demand: always while <see cref="Failing"/>, or after a number of successes.</summary>
public sealed class FaultyObjectStore(IObjectStore inner, int failAfterPuts = int.MaxValue) : IObjectStore
{
    private int _puts;

    public volatile bool Failing;

    public Task PutObjectAsync(string key, ReadOnlyMemory<byte> data, CancellationToken ct = default)
        => Failing || Interlocked.Increment(ref _puts) > failAfterPuts ? throw new IOException("storage unavailable") : inner.PutObjectAsync(key, data, ct);

    public Task<byte[]?> GetObjectAsync(string key, CancellationToken ct = default) => inner.GetObjectAsync(key, ct);

    public Task<bool> DeleteObjectAsync(string key, CancellationToken ct = default) => inner.DeleteObjectAsync(key, ct);

    public IAsyncEnumerable<string> ListObjectsAsync(string prefix, CancellationToken ct = default) => inner.ListObjectsAsync(prefix, ct);
}
