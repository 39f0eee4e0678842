using Atelier.Storage.Sql;

namespace Atelier.Storage.Tests.Sql;

public abstract partial class CatalogStoreConformance
{
    [Fact]
    public async Task MigrateAsync_calledAgain_changesNothingAndKeepsData()
    {
        var store = await OpenStoreAsync();
        var work = await AddAsync(store, NewWork("kept"));
        var before = await ((SqlCatalogStore)store).GetAppliedMigrationsAsync(Ct);

        await store.MigrateAsync(Ct);
        await store.MigrateAsync(Ct);

        var after = await ((SqlCatalogStore)store).GetAppliedMigrationsAsync(Ct);
        Assert.Equal(before, after);
        Assert.Equal(((SqlCatalogStore)store).LatestSchemaVersion, after[^1].Version);
        AssertSameWork(work, await store.GetWorkAsync(work.Id, Ct));
    }

    [Fact]
    public async Task OpenStore_databaseFromNewerAtelier_refusesWithClearError()
    {
        var store = await OpenStoreAsync();
        await AddAsync(store, NewWork());
        await ExecuteSqlAsync("INSERT INTO schema_migrations (version, description, applied_at) SELECT 999, 'from the future', applied_at FROM schema_migrations WHERE version = 1");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(OpenStoreAsync);

        Assert.Contains("newer", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await store.ListWorksAsync(new(), Ct)).Total);
    }
}
