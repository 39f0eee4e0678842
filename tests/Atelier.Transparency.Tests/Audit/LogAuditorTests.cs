using Atelier.Testing;
using Atelier.Transparency.Audit;
using Atelier.Transparency.Merkle;

namespace Atelier.Transparency.Tests.Audit;

/// <summary>One intact log of 66,000 entries (three tile levels) shared by the audit tests, which damage copies of it.</summary>
public sealed class AuditedLog : IAsyncLifetime
{
    public const int Size = 66_000;

    public TestLog Log { get; } = new();

    public byte[] SignedCheckpoint { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        for (var from = 0; from < Size; from += 6000)
        {
            SignedCheckpoint = (await Log.AppendAsync(from, Math.Min(6000, Size - from))).SignedCheckpoint;
        }
    }

    public ValueTask DisposeAsync()
    {
        Log.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Audits a copy of the log after <paramref name="damage"/> altered it.</summary>
    public async Task<AuditReport> AuditCopyAsync(Func<MemoryObjectStore, Task> damage)
    {
        var copy = Log.Store.Clone();
        await damage(copy);
        return await new LogAuditor(copy, Log.Signer.Verifier).AuditAsync(SignedCheckpoint, TestContext.Current.CancellationToken);
    }
}

public class LogAuditorTests(AuditedLog audited) : IClassFixture<AuditedLog>
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;
    private const int Size = AuditedLog.Size;

    [Theory]
    [InlineData("log/tile/0/100", 70, 5, 25_670)]
    [InlineData("log/tile/0/257.p/208", 3, 31, 65_795)]
    [InlineData("log/tile/1/000", 40, 31, 10_240)]
    [InlineData("log/tile/1/001.p/1", 0, 0, 65_536)]
    [InlineData("log/tile/2/000.p/1", 0, 17, 0)]
    public async Task Audit_flippedTileByte_namesTheTileAndIndex(string key, int hashIndex, int byteInHash, long expectedIndex)
    {
        var report = await audited.AuditCopyAsync(store =>
        {
            Assert.True(store.Replace(key, b => { b[(hashIndex * 32) + byteInHash] ^= 0x40; return b; }));
            return Task.CompletedTask;
        });
        var problem = Assert.Single(report.Problems);
        Assert.Equal(key, problem.Path);
        Assert.Equal(expectedIndex, problem.Index);
        Assert.Contains("tile is corrupt", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(65_537)]
    [InlineData(Size - 1)]
    public async Task Audit_flippedEntryByte_namesTheBundleAndIndex(long index)
    {
        var bundle = LogLayoutKeyOfBundle(index);
        var report = await audited.AuditCopyAsync(store =>
        {
            Assert.True(store.Replace(bundle, b => { FlipEntryByte(b, (int)(index % 256)); return b; }));
            return Task.CompletedTask;
        });
        var problem = Assert.Single(report.Problems);
        Assert.Equal(bundle, problem.Path);
        Assert.Equal(index, problem.Index);
        Assert.Contains("bundle is corrupt", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_missingAndTruncatedObjects_areNamed()
    {
        var report = await audited.AuditCopyAsync(async store =>
        {
            Assert.True(await store.DeleteObjectAsync("log/tile/0/001", Ct));
            Assert.True(store.Replace("log/tile/entries/002", b => b[..^1]));
        });
        Assert.Contains(report.Problems, p => p.Path == "log/tile/0/001" && p.Message.Contains("missing", StringComparison.Ordinal) && p.Index == 256);
        Assert.Contains(report.Problems, p => p.Path == "log/tile/entries/002" && p.Message.Contains("malformed", StringComparison.Ordinal) && p.Index == 512);
    }

    [Fact]
    public async Task Audit_intactLog_hasNoProblemsAndCountsEverything()
    {
        var report = await audited.AuditCopyAsync(_ => Task.CompletedTask);
        Assert.True(report.Ok);
        Assert.Equal(Size, report.EntriesChecked);
        Assert.Equal(258 + 2 + 1, report.TilesChecked);

        // Without an explicit checkpoint the auditor reads the published one.
        Assert.True((await new LogAuditor(audited.Log.Store, audited.Log.Signer.Verifier).AuditAsync(ct: Ct)).Ok);
    }

    [Fact]
    public async Task CheckConsistency_storedCheckpoints_proveTheLogOnlyGrew()
    {
        using var log = new TestLog();
        var first = await log.AppendAsync(0, 1000);
        var second = await log.AppendAsync(1000, 3000);
        var auditor = new LogAuditor(log.Store, log.Signer.Verifier);
        var proof = await auditor.CheckConsistencyAsync(first.SignedCheckpoint, second.SignedCheckpoint, Ct);
        Assert.NotEmpty(proof);
        MerkleTree.CheckConsistency(1000, 4000, first.Checkpoint.RootHash, second.Checkpoint.RootHash, proof);

        // A tile under the older tree altered after the fact breaks the proof.
        Assert.True(log.Store.Replace("log/tile/0/003", b => { b[0] ^= 1; return b; }));
        await Assert.ThrowsAsync<InvalidProofException>(() => auditor.CheckConsistencyAsync(first.SignedCheckpoint, second.SignedCheckpoint, Ct));
    }

    private static string LogLayoutKeyOfBundle(long index)
    {
        var width = index / 256 == Size / 256 ? Size % 256 : 256;
        return "log/" + Transparency.Tiles.TilePath.Entries(index / 256, (int)width);
    }

    /// <summary>Flips one byte inside the n-th entry of a bundle (after its length prefix).</summary>
    private static void FlipEntryByte(byte[] bundle, int n)
    {
        var offset = 0;
        for (var i = 0; i < n; i++)
        {
            offset += 2 + ((bundle[offset] << 8) | bundle[offset + 1]);
        }

        bundle[offset + 3] ^= 0x01;
    }

}
