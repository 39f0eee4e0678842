using System.Diagnostics;
using Atelier.Transparency.Merkle;
using Atelier.Transparency.Notes;
using Atelier.Transparency.Receipts;

namespace Atelier.Transparency.Tests;

public class LogBatcherTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppendAsync_manyConcurrentCallers_shareCheckpointsAndGetDistinctIndexes()
    {
        using var log = new TestLog();
        await using var batcher = new LogBatcher(log.Writer, new LogBatcherOptions { MaxBatchSize = 64, MaxDelay = TimeSpan.FromMilliseconds(20) });
        const int Callers = 1000;
        var results = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i => Task.Run(() => batcher.AppendAsync(TestLog.Entry(i), Ct), Ct)));

        Assert.Equal(Enumerable.Range(0, Callers).Select(i => (long)i), results.Select(r => r.Index).Order());
        var checkpoints = results.Select(r => r.Checkpoint.Size).Distinct().Count();
        Assert.InRange(checkpoints, Callers / 64, Callers / 2);

        // Each caller's checkpoint covers its entry: its receipt verifies against that very checkpoint.
        foreach (var result in results.Where((_, i) => i % 50 == 0))
        {
            Assert.True(result.Index < result.Checkpoint.Size);
            var receipt = await log.Reader.ProveAsync(result.Index, result.SignedCheckpoint, Ct);
            Assert.True(ReceiptVerifier.Verify(receipt.Format(), log.Signer.Verifier).Valid);
        }
    }

    [Fact]
    public async Task AppendAsync_loneEntry_isSequencedAfterTheDelay()
    {
        using var log = new TestLog();
        await using var batcher = new LogBatcher(log.Writer, new LogBatcherOptions { MaxBatchSize = 1000, MaxDelay = TimeSpan.FromMilliseconds(50) });
        var watch = Stopwatch.StartNew();
        var result = await batcher.AppendAsync(TestLog.Entry(0), Ct);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(40), $"sequenced after {watch.Elapsed.TotalMilliseconds} ms");
        Assert.Equal(0, result.Index);
        Assert.Equal(1, result.Checkpoint.Size);
    }

    [Fact]
    public async Task AppendAsync_fullBatch_doesNotWaitForTheTimer()
    {
        using var log = new TestLog();
        await using var batcher = new LogBatcher(log.Writer, new LogBatcherOptions { MaxBatchSize = 8, MaxDelay = TimeSpan.FromMilliseconds(500) });
        var tickets = new List<LogTicket>();
        for (var i = 0; i < 8; i++)
        {
            tickets.Add(await batcher.EnqueueAsync(TestLog.Entry(i), Ct));
        }

        var watch = Stopwatch.StartNew();
        var results = await Task.WhenAll(tickets.Select(t => t.Completion));
        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(400), $"waited {watch.Elapsed.TotalMilliseconds} ms");
        Assert.All(results, r => Assert.Equal(8, r.Checkpoint.Size));
    }

    [Fact]
    public async Task DisposeAsync_noWaitTickets_areSequencedBeforeItReturns()
    {
        using var log = new TestLog();
        var batcher = new LogBatcher(log.Writer, new LogBatcherOptions { MaxBatchSize = 16, MaxDelay = TimeSpan.FromMilliseconds(500) });
        var tickets = new List<LogTicket>();
        for (var i = 0; i < 40; i++)
        {
            tickets.Add(await batcher.EnqueueAsync(TestLog.Entry(i), Ct));
        }

        await batcher.DisposeAsync();
        Assert.All(tickets, t => Assert.True(t.Completion.IsCompletedSuccessfully));
        Assert.Equal(40, (await log.State.GetAsync(Ct))!.Size);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await batcher.EnqueueAsync(TestLog.Entry(41), Ct));
    }

    [Fact]
    public async Task AppendAsync_writerFailure_faultsTheBatchAndLaterBatchesRecover()
    {
        using var log = new TestLog();
        var store = new FaultyObjectStore(log.Store);
        var writer = new LogWriter(store, log.State, log.Signer);
        await using var batcher = new LogBatcher(writer, new LogBatcherOptions { MaxBatchSize = 4, MaxDelay = TimeSpan.Zero });
        await batcher.AppendAsync(TestLog.Entry(0), Ct);

        store.Failing = true;
        var error = await Assert.ThrowsAsync<IOException>(() => batcher.AppendAsync(TestLog.Entry(1), Ct));
        Assert.Equal("storage unavailable", error.Message);
        Assert.Equal(1, (await log.State.GetAsync(Ct))!.Size);

        store.Failing = false;
        var retried = await batcher.AppendAsync(TestLog.Entry(1), Ct);
        Assert.Equal(1, retried.Index);
        var checkpoint = Checkpoint.Open(retried.SignedCheckpoint, log.Signer.Verifier);
        MerkleTree.CheckInclusion(Hash.Leaf(TestLog.Entry(1)), 1, checkpoint.Size, (await log.Reader.ProveAsync(1, ct: Ct)).Proof.ToArray(), checkpoint.RootHash);
    }

    [Fact]
    public void Options_outOfBounds_areRefused()
    {
        using var log = new TestLog();
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogBatcher(log.Writer, new LogBatcherOptions { MaxDelay = TimeSpan.FromSeconds(1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogBatcher(log.Writer, new LogBatcherOptions { MaxBatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogBatcher(log.Writer, new LogBatcherOptions { QueueCapacity = 0 }));
    }
}
