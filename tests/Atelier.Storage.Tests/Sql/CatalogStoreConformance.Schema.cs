using Atelier.Core;
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

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => OpenStoreAsync());

        Assert.Contains("newer", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await store.ListWorksAsync(new(), Ct)).Total);
    }

    [Fact]
    public async Task OpenStore_laterVersionAddsMigration_appliesOnlyTheNewStepAndKeepsData()
    {
        var current = await OpenStoreAsync();
        var work = await AddAsync(current, NewWork("从前"));
        var next = CatalogMigrations.All.Count + 1;
        SqlMigration[] later =
        [
            .. CatalogMigrations.All,
            new(next, "test: a later table and column", d => $"""
                CREATE TABLE later_things (id TEXT NOT NULL PRIMARY KEY, at {d.TimeType} NOT NULL);
                ALTER TABLE works ADD COLUMN later_note TEXT;
                """),
        ];

        var upgraded = await OpenStoreAsync(later);
        var again = await OpenStoreAsync(later);

        var applied = await ((SqlCatalogStore)again).GetAppliedMigrationsAsync(Ct);
        Assert.Equal(Enumerable.Range(1, next), applied.Select(m => m.Version));
        await ExecuteSqlAsync("INSERT INTO later_things (id, at) SELECT id, registered_at FROM works");
        AssertSameWork(work, await upgraded.GetWorkAsync(work.Id, Ct));
        await AddAsync(upgraded, NewWork("以后", registeredAt: T0.AddDays(1)));
        Assert.Equal(2, (await again.ListWorksAsync(new WorkQuery(), Ct)).Total);
        await Assert.ThrowsAsync<InvalidOperationException>(() => OpenStoreAsync());
    }

    [Fact]
    public async Task OpenStore_databaseFromBeforeFingerprints_upgradesAndFingerprintsItsWorks()
    {
        var old = await OpenStoreAsync([.. CatalogMigrations.All.TakeWhile(m => m.Version < 3)]);
        var work = await AddAsync(old, NewWork("版本二"));

        var upgraded = await OpenStoreAsync();
        await upgraded.PutFingerprintAsync(work.Id, new("image/v1", [1, 2, 3]), Ct);

        Assert.Equal(((SqlCatalogStore)upgraded).LatestSchemaVersion, (await ((SqlCatalogStore)upgraded).GetAppliedMigrationsAsync(Ct))[^1].Version);
        var stored = Assert.Single(await upgraded.GetFingerprintsAsync(work.Id, Ct));
        Assert.Equal([1, 2, 3], stored.Data);
        AssertSameWork(work, await upgraded.GetWorkAsync(work.Id, Ct));
    }

    [Fact]
    public async Task OpenStore_databaseFromBeforeSuspects_upgradesAndTakesFindingsAgainstItsWorks()
    {
        var old = await OpenStoreAsync([.. CatalogMigrations.All.TakeWhile(m => m.Version < 4)]);
        var work = await AddAsync(old, NewWork("版本三"));

        var upgraded = await OpenStoreAsync();
        var suspect = await upgraded.PutSuspectAsync("/扫描/copy.png", RandomSha256(), [new("image/v1", [1, 2, 3])], T0, Ct);
        Assert.True(await upgraded.AddFindingAsync(suspect, work.Id, "exact", 1, "{}", T0, null, Ct));

        Assert.Equal(4, (await ((SqlCatalogStore)upgraded).GetAppliedMigrationsAsync(Ct))[^1].Version);
        Assert.Equal(work.Id, Assert.Single(await upgraded.TakeUnreportedFindingsAsync(T0, Ct)).WorkId);
    }
}
