using Atelier.Transparency.Merkle;
using Atelier.Transparency.Notes;
using Atelier.Transparency.Receipts;
using Atelier.Transparency.Tests.Merkle;
using Atelier.Transparency.Tiles;

namespace Atelier.Transparency.Tests;

public class LogWriterTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Append_randomBatchesPast65536_everyCheckpointIsProvableFromTiles()
    {
        using var log = new TestLog();
        var random = new Random(20260723);
        var reference = new LevelTree();
        var checkpoints = new List<(Checkpoint Checkpoint, byte[] Signed)>();
        const int Total = 70_000;
        long size = 0;
        while (size < Total)
        {
            // Mostly small batches, some large ones, so tiles fill across one or many batches.
            var count = (int)Math.Min(Total - size, random.Next(4) == 0 ? random.Next(1, 6000) : random.Next(1, 300));
            var result = await log.AppendAsync(size, count);
            Assert.Equal(size, result.FirstIndex);
            for (var i = 0; i < count; i++)
            {
                reference.Add(Hash.Leaf(TestLog.Entry(size + i)));
            }

            size += count;
            Assert.Equal(size, result.Checkpoint.Size);
            Assert.Equal(reference.Mth(0, size), result.Checkpoint.RootHash);
            Assert.Equal(result.Checkpoint, Checkpoint.Open(result.SignedCheckpoint, log.Signer.Verifier));
            checkpoints.Add((result.Checkpoint, result.SignedCheckpoint));
        }

        var final = checkpoints[^1].Checkpoint;
        var tiles = new TileHashReader(log.Store, size);
        Assert.Equal(final.RootHash, await MerkleTree.TreeHashAsync(size, tiles, Ct));

        // Inclusion: tile boundaries at every level, plus a random sample; each proof equals the reference's.
        long[] edges = [0, 1, 255, 256, 257, 511, 65_535, 65_536, 65_537, size - 1];
        foreach (var index in edges.Concat(Enumerable.Range(0, 200).Select(_ => random.NextInt64(size))))
        {
            var proof = await MerkleTree.ProveInclusionAsync(index, size, tiles, Ct);
            Assert.Equal(await MerkleTree.ProveInclusionAsync(index, size, reference, Ct), proof);
            MerkleTree.CheckInclusion(Hash.Leaf(TestLog.Entry(index)), index, size, proof, final.RootHash);
        }

        // Consistency: every checkpoint to the next and to the last, from the tiles of the final tree.
        for (var i = 0; i < checkpoints.Count - 1; i++)
        {
            var older = checkpoints[i].Checkpoint;
            foreach (var newer in new[] { checkpoints[i + 1].Checkpoint, final })
            {
                var proof = await MerkleTree.ProveConsistencyAsync(older.Size, newer.Size, tiles, Ct);
                MerkleTree.CheckConsistency(older.Size, newer.Size, older.RootHash, newer.RootHash, proof);
            }
        }

        // Every partial tile a checkpoint needed is still there, so old checkpoints stay provable.
        var (middle, middleSigned) = checkpoints[checkpoints.Count / 2];
        var receipt = await log.Reader.ProveAsync(middle.Size - 1, middleSigned, Ct);
        Assert.True(ReceiptVerifier.Verify(receipt.Format(), log.Signer.Verifier.KeyString).Valid);

        var audit = await log.AuditAsync();
        Assert.Empty(audit.Problems);
        Assert.Equal(size, audit.EntriesChecked);
    }

    [Fact]
    public async Task Append_smallLog_everyEntryHasAValidReceipt()
    {
        using var log = new TestLog();
        var random = new Random(7);
        long size = 0;
        while (size < 600)
        {
            var count = random.Next(1, 90);
            await log.AppendAsync(size, count);
            size += count;
        }

        for (long index = 0; index < size; index++)
        {
            var receipt = await log.Reader.ProveAsync(index, ct: Ct);
            Assert.Equal(TestLog.Entry(index), receipt.Extra);
            var report = ReceiptVerifier.Verify(receipt.Format(), log.Signer.Verifier.KeyString);
            Assert.True(report.Valid, string.Join("; ", report.Checks.Where(c => !c.Ok).Select(c => $"{c.Name}: {c.Detail}")));
        }
    }

    [Fact]
    public async Task Open_newLog_signsTheEmptyCheckpointOnce()
    {
        using var log = new TestLog();
        var state = await log.Writer.OpenAsync(Ct);
        Assert.Equal(0, state.Size);
        var checkpoint = Checkpoint.Open(state.SignedCheckpoint, log.Signer.Verifier);
        Assert.Equal(Hash.Empty, checkpoint.RootHash);
        Assert.Equal(state.SignedCheckpoint, await log.Store.GetObjectAsync("log/checkpoint", Ct));

        // A second writer over the same state reuses it instead of signing another size-0 checkpoint.
        var again = await new LogWriter(log.Store, log.State, log.Signer).OpenAsync(Ct);
        Assert.Same(state, again);
    }

    [Fact]
    public async Task Append_staleWriter_catchesUpWithoutTouchingCommittedTiles()
    {
        using var log = new TestLog();
        var other = new LogWriter(log.Store, log.State, log.Signer);
        await log.AppendAsync(0, 10);
        await other.OpenAsync(Ct);
        await log.AppendAsync(10, 5);

        // The other writer last saw size 10; it reloads and appends after the 15 committed entries.
        var result = await other.AppendAsync([TestLog.Entry(15)], Ct);
        Assert.Equal(15, result.FirstIndex);
        Assert.Empty((await log.AuditAsync()).Problems);
    }

    [Fact]
    public async Task Append_lostSwap_throwsConflictAndPublishesNothing()
    {
        using var log = new TestLog();
        await log.AppendAsync(0, 10);
        var racing = new RacingStateStore(log.State);
        var writer = new LogWriter(log.Store, racing, log.Signer);
        await writer.OpenAsync(Ct);
        var published = await log.Store.GetObjectAsync("log/checkpoint", Ct);

        // Another sequencer commits between this writer's check and its swap.
        racing.Competitor = new LogState(11, [.. "competitor"u8]);
        await Assert.ThrowsAsync<LogConflictException>(() => writer.AppendAsync([TestLog.Entry(10)], Ct));
        Assert.Equal(11, (await log.State.GetAsync(Ct))!.Size);
        Assert.Equal(published, await log.Store.GetObjectAsync("log/checkpoint", Ct));
    }

    [Fact]
    public async Task Append_crashBeforeCommit_leavesThePublishedLogIntact()
    {
        using var log = new TestLog();
        await log.AppendAsync(0, 300);
        var before = await log.State.GetAsync(Ct);

        // The store fails part-way through the next batch's writes, as a crash would.
        var failing = new FaultyObjectStore(log.Store, failAfterPuts: 2);
        var crashed = new LogWriter(failing, log.State, log.Signer);
        await Assert.ThrowsAsync<IOException>(() => crashed.AppendAsync(TestLog.Entries(300, 600), Ct));
        Assert.Same(before, await log.State.GetAsync(Ct));
        Assert.Empty((await log.AuditAsync(before!.SignedCheckpoint)).Problems);

        // A restarted writer continues from the committed state and rewrites whatever the crash left.
        var restarted = new LogWriter(log.Store, log.State, log.Signer);
        var result = await restarted.AppendAsync(TestLog.Entries(300, 10), Ct);
        Assert.Equal(300, result.FirstIndex);
        Assert.Empty((await log.AuditAsync()).Problems);
    }

    [Fact]
    public async Task Open_corruptPartialTile_isRefused()
    {
        using var log = new TestLog();
        await log.AppendAsync(0, 300);
        Assert.True(log.Store.Replace("log/tile/0/001.p/44", b => { b[5] ^= 1; return b; }));
        var writer = new LogWriter(log.Store, log.State, log.Signer);
        await Assert.ThrowsAsync<LogStorageException>(() => writer.OpenAsync(Ct));
    }

    [Fact]
    public async Task Open_otherKey_isRefused()
    {
        using var log = new TestLog();
        await log.AppendAsync(0, 3);
        using var stranger = NoteSigner.Parse(NoteKeys.Generate(TestLog.Origin).SignerKey);
        var writer = new LogWriter(log.Store, log.State, stranger);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.OpenAsync(Ct));
        Assert.Contains("does not verify", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StateStore_neverRegressesNorReplacesASize()
    {
        var store = new InMemoryLogStateStore();
        Assert.True(await store.TryAdvanceAsync(null, new LogState(0, [1]), Ct));
        Assert.False(await store.TryAdvanceAsync(null, new LogState(0, [2]), Ct));
        Assert.True(await store.TryAdvanceAsync(0, new LogState(5, [3]), Ct));
        Assert.False(await store.TryAdvanceAsync(5, new LogState(5, [4]), Ct));
        Assert.False(await store.TryAdvanceAsync(5, new LogState(4, [4]), Ct));
        Assert.False(await store.TryAdvanceAsync(0, new LogState(9, [4]), Ct));
        Assert.Equal([3], (await store.GetAsync(Ct))!.SignedCheckpoint);
    }

    [Fact]
    public async Task ReadPublic_servesOnlyWhatTheCheckpointCovers()
    {
        using var log = new TestLog();
        await log.AppendAsync(0, 300);
        var checkpoint = await log.Reader.ReadPublicAsync("checkpoint", Ct);
        Assert.False(checkpoint!.Immutable);
        Assert.Equal("text/plain; charset=utf-8", checkpoint.ContentType);
        Assert.Equal(8192, (await log.Reader.ReadPublicAsync("tile/0/000", Ct))!.Data.Length);
        Assert.Equal(44 * 32, (await log.Reader.ReadPublicAsync("tile/0/001.p/44", Ct))!.Data.Length);
        Assert.NotNull(await log.Reader.ReadPublicAsync("tile/entries/001.p/44", Ct));
        Assert.NotNull(await log.Reader.ReadPublicAsync("tile/1/000.p/1", Ct));

        // Written by a batch that never committed: present in the store, but not served.
        await log.Store.PutObjectAsync("log/tile/0/001", new byte[8192], Ct);
        Assert.Null(await log.Reader.ReadPublicAsync("tile/0/001", Ct));
        Assert.Null(await log.Reader.ReadPublicAsync("tile/0/001.p/45", Ct));
        Assert.Null(await log.Reader.ReadPublicAsync("tile/0/../checkpoint", Ct));
        Assert.Null(await log.Reader.ReadPublicAsync("tile/0/000.p/10", Ct));
    }

    [Fact]
    public async Task Append_badBatches_areRefusedBeforeAnyWrite()
    {
        using var log = new TestLog();
        await Assert.ThrowsAsync<ArgumentException>(() => log.Writer.AppendAsync([], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => log.Writer.AppendAsync([new byte[70_000]], Ct));
        Assert.Equal(0, log.Store.Count);
    }

    /// <summary>A state store that lets a competitor commit just before the next swap.</summary>
    private sealed class RacingStateStore(ILogStateStore inner) : ILogStateStore
    {
        public LogState? Competitor { get; set; }

        public Task<LogState?> GetAsync(CancellationToken ct = default) => inner.GetAsync(ct);

        public async Task<bool> TryAdvanceAsync(long? expectedSize, LogState next, CancellationToken ct = default)
        {
            if (Competitor is { } competitor)
            {
                Competitor = null;
                Assert.True(await inner.TryAdvanceAsync(expectedSize, competitor, ct));
            }

            return await inner.TryAdvanceAsync(expectedSize, next, ct);
        }
    }
}
