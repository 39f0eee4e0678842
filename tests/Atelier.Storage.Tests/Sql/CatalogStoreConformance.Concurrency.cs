using System.Text;
using Atelier.Core;
using Atelier.Storage.Sql;

namespace Atelier.Storage.Tests.Sql;

/// <summary>
/// Several store instances on one database stand in for several processes: each has its own
/// connections (SQLite) or pool (PostgreSQL), so the database, not the store, must arbitrate.
/// </summary>
public abstract partial class CatalogStoreConformance
{
    private const int Writers = 16;

    private async Task<ICatalogStore[]> OpenStoresAsync(int count)
    {
        await OpenStoreAsync(); // creates and migrates the database before the crowd arrives
        return await Task.WhenAll(Enumerable.Range(0, count).Select(_ => OpenStoreAsync()));
    }

    [Fact]
    public async Task AddWorkAsync_sameHashFromSixteenStoresAtOnce_addsAndQueuesExactlyOne()
    {
        var stores = await OpenStoresAsync(Writers);
        var sha256 = RandomSha256();
        var works = Enumerable.Range(0, Writers).Select(i => NewWork($"racer {i}", sha256: sha256, tags: [$"racer {i}"])).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racing = works.Select(async (work, i) =>
        {
            await start.Task;
            return await stores[i].AddWorkAsync(work, $"writer {i}", Encoding.UTF8.GetBytes(work.Id), ct: Ct);
        }).ToArray();

        start.SetResult();
        var results = await Task.WhenAll(racing);

        var added = Assert.Single(results, r => r.Added);
        Assert.All(results, r => Assert.Equal(added.WorkId, r.WorkId));
        Assert.All(results.Where(r => !r.Added), r => Assert.Null(r.LogSeq));
        var queued = Assert.Single(await stores[0].GetPendingLogEntriesAsync(100, Ct));
        Assert.Equal(added.LogSeq, queued.Seq);
        Assert.Equal(added.WorkId, queued.WorkId);
        Assert.Equal(Encoding.UTF8.GetBytes(added.WorkId), queued.Entry);
        var page = await stores[0].ListWorksAsync(new WorkQuery(), Ct);
        Assert.Equal(added.WorkId, Assert.Single(page.Items).Id);
        var winner = works.Single(w => w.Id == added.WorkId);
        AssertSameWork(winner, page.Items[0]);
        Assert.Single(await stores[0].GetHistoryAsync(winner.Id, Ct));
        foreach (var loser in works.Where(w => w.Id != added.WorkId))
        {
            Assert.Null(await stores[0].GetWorkAsync(loser.Id, Ct));
        }
    }

    [Fact]
    public async Task AddWorkAsync_differentWorksFromManyStoresAtOnce_addsAll()
    {
        var stores = await OpenStoresAsync(8);
        const int perStore = 5;

        var results = await Task.WhenAll(stores.Select((store, s) => Task.Run(async () =>
        {
            var added = new List<AddWorkResult>();
            for (var i = 0; i < perStore; i++)
            {
                added.Add(await store.AddWorkAsync(NewWork($"store {s} work {i}", tags: ["crowd"]), null, ct: Ct));
            }

            return added;
        })));

        Assert.All(results.SelectMany(r => r), r => Assert.True(r.Added));
        Assert.Equal(stores.Length * perStore, (await stores[0].ListWorksAsync(new WorkQuery { Tag = "crowd" }, Ct)).Total);
    }

    [Fact]
    public async Task DeleteWorkAsync_sameWorkFromManyStoresAtOnce_succeedsOnce()
    {
        var stores = await OpenStoresAsync(8);
        var work = await AddAsync(stores[0], NewWork());

        var results = await Task.WhenAll(stores.Select((store, i) => Task.Run(() => store.DeleteWorkAsync(work.Id, T0.AddMinutes(i + 1), $"deleter {i}", Ct))));

        Assert.Single(results, deleted => deleted);
        Assert.Equal(["registered", "deleted"], (await stores[0].GetHistoryAsync(work.Id, Ct)).Select(e => e.Type));
    }

    [Fact]
    public async Task OpenStore_manyProcessesOnFreshDatabaseAtOnce_applyEachMigrationOnce()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => OpenStoreAsync())));

        var applied = await ((SqlCatalogStore)stores[0]).GetAppliedMigrationsAsync(Ct);

        Assert.Equal(CatalogMigrations.All.Select(m => m.Version), applied.Select(m => m.Version));
        Assert.Equal(CatalogMigrations.All.Select(m => m.Description), applied.Select(m => m.Description));
        await AddAsync(stores[^1], NewWork());
    }
}
