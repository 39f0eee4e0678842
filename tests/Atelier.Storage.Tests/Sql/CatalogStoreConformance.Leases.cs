using Atelier.Core;
using Atelier.Storage.Sql;

namespace Atelier.Storage.Tests.Sql;

/// <summary>The named lease that lets one process at a time sequence the log.</summary>
public abstract partial class CatalogStoreConformance
{
    private const string Sequencer = "log-sequencer";

    private static readonly TimeSpan LongTtl = TimeSpan.FromMinutes(10);

    // Short enough to wait out in a test, and well above the millisecond resolution of SQLite's clock.
    private static readonly TimeSpan ShortTtl = TimeSpan.FromMilliseconds(300);

    private static readonly TimeSpan PastShortTtl = TimeSpan.FromMilliseconds(600);

    /// <summary>Takes or renews the sequencer lease for a long while.</summary>
    private Task<bool> TakeAsync(ICatalogStore store, string holder) =>
        store.TryAcquireLeaseAsync(Sequencer, holder, LongTtl, Ct);

    [Fact]
    public async Task TryAcquireLeaseAsync_heldByAnother_isRefusedUntilReleased()
    {
        var store = await OpenStoreAsync();

        Assert.True(await TakeAsync(store, "server-a"));
        Assert.False(await TakeAsync(store, "server-b"));
        Assert.True(await TakeAsync(store, "server-a"));
        Assert.True(await store.TryAcquireLeaseAsync("另一个租约", "server-b", LongTtl, Ct));

        await store.ReleaseLeaseAsync(Sequencer, "server-a", Ct);

        Assert.True(await TakeAsync(store, "server-b"));
        Assert.False(await TakeAsync(store, "server-a"));
    }

    [Fact]
    public async Task ReleaseLeaseAsync_byAnotherHolder_leavesTheLease()
    {
        var store = await OpenStoreAsync();
        Assert.True(await TakeAsync(store, "server-a"));

        await store.ReleaseLeaseAsync(Sequencer, "server-b", Ct);
        await store.ReleaseLeaseAsync("another lease", "server-a", Ct);

        Assert.False(await TakeAsync(store, "server-b"));
        Assert.True(await TakeAsync(store, "server-a"));
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_expired_goesToAnotherHolder()
    {
        var store = await OpenStoreAsync();
        Assert.True(await store.TryAcquireLeaseAsync(Sequencer, "server-a", ShortTtl, Ct));

        await Task.Delay(PastShortTtl, Ct);

        Assert.True(await TakeAsync(store, "server-b"));
        Assert.False(await TakeAsync(store, "server-a"));
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_renewedByHolder_outlivesItsFirstTtl()
    {
        var store = await OpenStoreAsync();
        Assert.True(await store.TryAcquireLeaseAsync(Sequencer, "server-a", ShortTtl, Ct));
        Assert.True(await TakeAsync(store, "server-a"));

        await Task.Delay(PastShortTtl, Ct);

        Assert.False(await TakeAsync(store, "server-b"));
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_badInput_throws()
    {
        var store = await OpenStoreAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.TryAcquireLeaseAsync(Sequencer, "a", TimeSpan.Zero, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.TryAcquireLeaseAsync(Sequencer, "a", -LongTtl, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.TryAcquireLeaseAsync(Sequencer, "a", SqlCatalogStore.MaxLeaseTtl + TimeSpan.FromSeconds(1), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.TryAcquireLeaseAsync(" ", "a", LongTtl, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.TryAcquireLeaseAsync(Sequencer, "a\0", LongTtl, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.TryAcquireLeaseAsync(Sequencer, new string('x', SqlCatalogStore.MaxLeaseNameLength + 1), LongTtl, Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.ReleaseLeaseAsync(Sequencer, null!, Ct));

        Assert.True(await TakeAsync(store, "a"));
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_eightStoresAtOnce_grantsExactlyOne()
    {
        var stores = await OpenStoresAsync(8);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racing = stores.Select(async (store, i) =>
        {
            await start.Task;
            return await TakeAsync(store, $"server-{i}");
        }).ToArray();

        start.SetResult();
        var results = await Task.WhenAll(racing);

        Assert.Single(results, held => held);
        var holder = $"server-{Array.IndexOf(results, true)}";
        Assert.True(await stores[0].TryAcquireLeaseAsync(Sequencer, holder, LongTtl, Ct));
        for (var i = 0; i < stores.Length; i++)
        {
            Assert.Equal($"server-{i}" == holder, await stores[0].TryAcquireLeaseAsync(Sequencer, $"server-{i}", LongTtl, Ct));
        }
    }
}
