using System.Data.Common;
using System.Text;
using Atelier.Core;
using Atelier.Storage.Sql;

namespace Atelier.Storage.Tests.Sql;

/// <summary>The transparency log's queue and sequencing state (<see cref="ILogStore"/>).</summary>
public abstract partial class CatalogStoreConformance
{
    private static byte[] Entry(string text) => Encoding.UTF8.GetBytes(text);

    private static LogStateRecord State(long size) => new(size, Entry($"atelier.example/log\n{size}\n— 签名 {size}\n"));

    private async Task<long[]> EnqueueAsync(ICatalogStore store, int count, string? workId = null)
    {
        var seqs = new long[count];
        for (var i = 0; i < count; i++)
        {
            seqs[i] = await store.EnqueueLogEntryAsync(workId, Entry($"entry {i} 条目"), Ct);
        }

        return seqs;
    }

    /// <summary>Asserts the stored state and the index of every entry in <paramref name="seqs"/>.</summary>
    private async Task AssertLogAsync(ICatalogStore store, LogStateRecord? state, IEnumerable<long> seqs, IEnumerable<long?> indexes)
    {
        var stored = await store.GetLogStateAsync(Ct);
        Assert.Equal(state?.Size, stored?.Size);
        Assert.Equal(state?.SignedCheckpoint, stored?.SignedCheckpoint);
        var actual = new List<long?>();
        foreach (var seq in seqs)
        {
            actual.Add((await store.GetLogEntryAsync(seq, Ct))!.LogIndex);
        }

        Assert.Equal(indexes, actual);
    }

    [Fact]
    public async Task EnqueueLogEntryAsync_severalEntries_arePendingInEnqueueOrder()
    {
        var store = await OpenStoreAsync();
        var work = await AddAsync(store, NewWork());
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        byte[] empty = [];
        byte[] largest = [.. Enumerable.Range(0, SqlCatalogStore.MaxLogEntryLength).Select(i => (byte)i)];

        var first = await store.EnqueueLogEntryAsync(null, Entry("第一 licence event"), Ct);
        var second = await store.EnqueueLogEntryAsync(work.Id, empty, Ct);
        var third = await store.EnqueueLogEntryAsync(null, largest, Ct);

        Assert.True(first < second && second < third);
        var pending = await store.GetPendingLogEntriesAsync(10, Ct);
        Assert.Equal([first, second, third], pending.Select(e => e.Seq));
        Assert.Equal([null, work.Id, null], pending.Select(e => e.WorkId));
        Assert.Equal(Entry("第一 licence event"), pending[0].Entry);
        Assert.Equal(empty, pending[1].Entry);
        Assert.Equal(largest, pending[2].Entry);
        Assert.All(pending, e => Assert.Null(e.LogIndex));
        Assert.All(pending, e => Assert.InRange(e.CreatedAt, before, DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.All(pending, e => Assert.Equal(TimeSpan.Zero, e.CreatedAt.Offset));
        Assert.Equal([first, second], (await store.GetPendingLogEntriesAsync(2, Ct)).Select(e => e.Seq));
        Assert.Equal(pending[1], await store.GetLogEntryAsync(second, Ct), LogQueueEntryComparer.Instance);
        Assert.Null(await store.GetLogEntryAsync(third + 1, Ct));
    }

    [Fact]
    public async Task EnqueueLogEntryAsync_badInput_throwsAndQueuesNothing()
    {
        var store = await OpenStoreAsync();

        await Assert.ThrowsAsync<ArgumentNullException>(() => store.EnqueueLogEntryAsync(null, null!, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.EnqueueLogEntryAsync(null, new byte[SqlCatalogStore.MaxLogEntryLength + 1], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.EnqueueLogEntryAsync("not-a-work-id", Entry("x"), Ct));
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => store.EnqueueLogEntryAsync(WorkId.New(T0), Entry("x"), Ct));
        Assert.Contains("no work", unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetPendingLogEntriesAsync(0, Ct));

        Assert.Empty(await store.GetPendingLogEntriesAsync(10, Ct));
    }

    [Fact]
    public async Task AddWorkAsync_withLogEntry_queuesItForTheWork()
    {
        var store = await OpenStoreAsync();
        var work = NewWork("登记");

        var result = await store.AddWorkAsync(work, "owner", Entry("registration of " + work.Id), ct: Ct);

        Assert.True(result.Added);
        Assert.NotNull(result.LogSeq);
        var queued = Assert.Single(await store.GetPendingLogEntriesAsync(10, Ct));
        Assert.Equal(result.LogSeq, queued.Seq);
        Assert.Equal(work.Id, queued.WorkId);
        Assert.Equal(Entry("registration of " + work.Id), queued.Entry);
        Assert.Equal(queued, await store.GetLogEntryForWorkAsync(work.Id, Ct), LogQueueEntryComparer.Instance);
        Assert.Null((await store.AddWorkAsync(NewWork(), null, ct: Ct)).LogSeq);
    }

    [Fact]
    public async Task AddWorkAsync_duplicateWithLogEntry_queuesNothing()
    {
        var store = await OpenStoreAsync();
        var first = await store.AddWorkAsync(NewWork("first"), null, Entry("first"), ct: Ct);
        var second = NewWork("second", sha256: (await store.GetWorkAsync(first.WorkId, Ct))!.Sha256);

        var result = await store.AddWorkAsync(second, null, Entry("second"), ct: Ct);

        Assert.Equal(AddWorkResult.Duplicate(first.WorkId), result);
        Assert.Equal([first.LogSeq!.Value], (await store.GetPendingLogEntriesAsync(10, Ct)).Select(e => e.Seq));
        Assert.Null(await store.GetLogEntryForWorkAsync(second.Id, Ct));
    }

    [Fact]
    public async Task AddWorkAsync_logEntryCannotBeQueued_storesNoWork()
    {
        var store = await OpenStoreAsync();
        var work = NewWork("lost with its entry");
        // The queue's insert is the last statement of the work's transaction: make it fail.
        await ExecuteSqlAsync("ALTER TABLE log_entries RENAME TO log_entries_away");

        await Assert.ThrowsAnyAsync<DbException>(() => store.AddWorkAsync(work, null, Entry("entry"), [new("image/v1", [1])], Ct));

        await ExecuteSqlAsync("ALTER TABLE log_entries_away RENAME TO log_entries");
        Assert.Null(await store.GetWorkAsync(work.Id, Ct));
        Assert.Empty(await store.GetHistoryAsync(work.Id, Ct));
        Assert.Empty(await store.GetFingerprintsAsync(work.Id, Ct));
        Assert.Empty(await store.GetPendingLogEntriesAsync(10, Ct));
        await AddAsync(store, work);
    }

    [Fact]
    public async Task AddWorkAsync_logEntryTooLong_throwsAndStoresNothing()
    {
        var store = await OpenStoreAsync();
        var work = NewWork();

        await Assert.ThrowsAsync<ArgumentException>(() => store.AddWorkAsync(work, null, new byte[SqlCatalogStore.MaxLogEntryLength + 1], ct: Ct));

        Assert.Null(await store.GetWorkAsync(work.Id, Ct));
        Assert.Empty(await store.GetPendingLogEntriesAsync(10, Ct));
    }

    [Fact]
    public async Task GetLogEntryForWorkAsync_deletedWorkWithLaterEntries_returnsItsRegistrationEntry()
    {
        var store = await OpenStoreAsync();
        var work = NewWork();
        var registered = await store.AddWorkAsync(work, null, Entry("registered"), ct: Ct);
        await store.EnqueueLogEntryAsync(work.Id, Entry("licensed later"), Ct);
        Assert.True(await store.DeleteWorkAsync(work.Id, T0.AddDays(1), null, Ct));

        var entry = await store.GetLogEntryForWorkAsync(work.Id, Ct);

        Assert.Equal(registered.LogSeq, entry?.Seq);
        Assert.Equal(Entry("registered"), entry?.Entry);
        var withoutEntry = await AddAsync(store, NewWork());
        Assert.Null(await store.GetLogEntryForWorkAsync(withoutEntry.Id, Ct));
        Assert.Null(await store.GetLogEntryForWorkAsync(WorkId.New(T0), Ct));
        Assert.Null(await store.GetLogEntryForWorkAsync("not a work id\0", Ct));
    }

    [Fact]
    public async Task TryAdvanceLogAsync_fromNoState_assignsIndexesInListOrder()
    {
        var store = await OpenStoreAsync();
        var seqs = await EnqueueAsync(store, 5);
        Assert.Null(await store.GetLogStateAsync(Ct));

        Assert.True(await store.TryAdvanceLogAsync(null, State(3), [seqs[2], seqs[0], seqs[1]], Ct));

        await AssertLogAsync(store, State(3), seqs, [1, 2, 0, null, null]);
        Assert.Equal([seqs[3], seqs[4]], (await store.GetPendingLogEntriesAsync(10, Ct)).Select(e => e.Seq));

        Assert.True(await store.TryAdvanceLogAsync(3, State(5), [seqs[3], seqs[4]], Ct));

        await AssertLogAsync(store, State(5), seqs, [1, 2, 0, 3, 4]);
        Assert.Empty(await store.GetPendingLogEntriesAsync(10, Ct));
    }

    [Fact]
    public async Task TryAdvanceLogAsync_emptyLogFirst_storesSizeZero()
    {
        var store = await OpenStoreAsync();

        Assert.True(await store.TryAdvanceLogAsync(null, State(0), [], Ct));

        await AssertLogAsync(store, State(0), [], []);
    }

    [Fact]
    public async Task TryAdvanceLogAsync_expectedSizeIsNotStored_returnsFalseAndChangesNothing()
    {
        var store = await OpenStoreAsync();
        var seqs = await EnqueueAsync(store, 4);
        Assert.False(await store.TryAdvanceLogAsync(0, State(1), [seqs[0]], Ct));
        await AssertLogAsync(store, null, seqs, [null, null, null, null]);
        Assert.True(await store.TryAdvanceLogAsync(null, State(2), [seqs[0], seqs[1]], Ct));

        Assert.False(await store.TryAdvanceLogAsync(1, State(3), [seqs[2], seqs[3]], Ct));
        Assert.False(await store.TryAdvanceLogAsync(3, State(4), [seqs[2]], Ct));
        Assert.False(await store.TryAdvanceLogAsync(null, State(2), [seqs[2], seqs[3]], Ct));

        await AssertLogAsync(store, State(2), seqs, [0, 1, null, null]);
    }

    [Fact]
    public async Task TryAdvanceLogAsync_sizeDoesNotGrow_returnsFalseAndKeepsCheckpoint()
    {
        var store = await OpenStoreAsync();
        var seqs = await EnqueueAsync(store, 2);
        Assert.True(await store.TryAdvanceLogAsync(null, State(2), seqs, Ct));

        Assert.False(await store.TryAdvanceLogAsync(2, State(2) with { SignedCheckpoint = Entry("another signature") }, [], Ct));

        await AssertLogAsync(store, State(2), seqs, [0, 1]);
    }

    [Fact]
    public async Task TryAdvanceLogAsync_seqCountDisagreesWithSizes_throwsAndChangesNothing()
    {
        var store = await OpenStoreAsync();
        var seqs = await EnqueueAsync(store, 3);
        Assert.True(await store.TryAdvanceLogAsync(null, State(1), [seqs[0]], Ct));

        await Assert.ThrowsAsync<ArgumentException>(() => store.TryAdvanceLogAsync(1, State(3), [seqs[1]], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.TryAdvanceLogAsync(1, State(2), [seqs[1], seqs[2]], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.TryAdvanceLogAsync(1, State(0), [], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.TryAdvanceLogAsync(null, State(1), [], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.TryAdvanceLogAsync(1, new LogStateRecord(2, []), [seqs[1]], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.TryAdvanceLogAsync(1, new LogStateRecord(2, new byte[SqlCatalogStore.MaxCheckpointLength + 1]), [seqs[1]], Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.TryAdvanceLogAsync(-1, State(0), [seqs[1]], Ct));

        await AssertLogAsync(store, State(1), seqs, [0, null, null]);
    }

    [Theory]
    [InlineData("already sequenced")]
    [InlineData("unknown")]
    [InlineData("listed twice")]
    public async Task TryAdvanceLogAsync_seqThatCannotTakeAnIndex_returnsFalseAndChangesNothing(string problem)
    {
        var store = await OpenStoreAsync();
        var seqs = await EnqueueAsync(store, 4);
        Assert.True(await store.TryAdvanceLogAsync(null, State(2), [seqs[0], seqs[1]], Ct));
        // The bad seq comes last, after updates that must be rolled back with it.
        var bad = problem switch
        {
            "already sequenced" => seqs[1],
            "unknown" => seqs[^1] + 1000,
            _ => seqs[2],
        };

        Assert.False(await store.TryAdvanceLogAsync(2, State(5), [seqs[2], seqs[3], bad], Ct));

        await AssertLogAsync(store, State(2), seqs, [0, 1, null, null]);
        Assert.True(await store.TryAdvanceLogAsync(2, State(4), [seqs[3], seqs[2]], Ct));
        await AssertLogAsync(store, State(4), seqs, [0, 1, 3, 2]);
    }

    [Fact]
    public async Task TryAdvanceLogAsync_thousandsOfEntries_assignsEveryIndex()
    {
        var store = await OpenStoreAsync();
        const int count = 2000;
        var work = NewWork();
        await store.AddWorkAsync(work, null, Entry("first"), ct: Ct);
        // Enqueue concurrently to keep the test fast; the queue order is whatever the database gave.
        var queued = await Task.WhenAll(Enumerable.Range(1, count - 1).Select(i => store.EnqueueLogEntryAsync(null, Entry($"entry {i}"), Ct)));
        var seqs = (await store.GetPendingLogEntriesAsync(count, Ct)).Select(e => e.Seq).ToArray();
        Assert.Equal(count, seqs.Length);
        Assert.Subset(seqs.ToHashSet(), queued.ToHashSet());

        Assert.True(await store.TryAdvanceLogAsync(null, State(count), seqs, Ct));

        Assert.Empty(await store.GetPendingLogEntriesAsync(10, Ct));
        Assert.Equal(0, (await store.GetLogEntryForWorkAsync(work.Id, Ct))?.LogIndex);
        await AssertLogAsync(store, State(count), [seqs[1], seqs[count / 2], seqs[^1]], [1, count / 2, count - 1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TryAdvanceLogAsync_eightStoresAtOnceFromSameSize_exactlyOneWins(bool fromNoState)
    {
        var stores = await OpenStoresAsync(8);
        var seqs = await EnqueueAsync(stores[0], 1 + (2 * stores.Length));
        long? expected = fromNoState ? null : 1;
        if (!fromNoState)
        {
            Assert.True(await stores[0].TryAdvanceLogAsync(null, State(1), [seqs[0]], Ct));
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racing = stores.Select(async (store, i) =>
        {
            await start.Task;
            // Each racer sequences entries of its own, so only the state can stop the losers.
            return await store.TryAdvanceLogAsync(expected, State((expected ?? 0) + 2), [seqs[1 + (2 * i)], seqs[2 + (2 * i)]], Ct);
        }).ToArray();
        start.SetResult();
        var results = await Task.WhenAll(racing);

        var winner = Array.IndexOf(results, true);
        Assert.Single(results, won => won);
        var size = (expected ?? 0) + 2;
        var indexes = new long?[seqs.Length];
        if (!fromNoState)
        {
            indexes[0] = 0;
        }

        indexes[1 + (2 * winner)] = size - 2;
        indexes[2 + (2 * winner)] = size - 1;
        await AssertLogAsync(stores[0], State(size), seqs, indexes);
    }

    /// <summary>LogQueueEntry holds a byte array, which record equality compares by reference.</summary>
    private sealed class LogQueueEntryComparer : IEqualityComparer<LogQueueEntry?>
    {
        public static LogQueueEntryComparer Instance { get; } = new();

        public bool Equals(LogQueueEntry? x, LogQueueEntry? y) =>
            x is null || y is null
                ? x is null && y is null
                : x.Seq == y.Seq && x.WorkId == y.WorkId && x.Entry.AsSpan().SequenceEqual(y.Entry) && x.CreatedAt == y.CreatedAt && x.LogIndex == y.LogIndex;

        public int GetHashCode(LogQueueEntry? obj) => obj?.Seq.GetHashCode() ?? 0;
    }
}
