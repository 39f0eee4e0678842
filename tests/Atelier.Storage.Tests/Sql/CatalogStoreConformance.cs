using System.Security.Cryptography;
using Atelier.Core;
using Atelier.Storage.Sql;

namespace Atelier.Storage.Tests.Sql;

/// <summary>
/// The one suite every <see cref="ICatalogStore"/> provider must pass. A provider's test class
/// supplies a fresh database per test and a way to open more store instances on it (standing in for
/// other processes); the tests here only talk to the interface, plus a little raw SQL to look at
/// what was stored.
/// </summary>
public abstract partial class CatalogStoreConformance : IAsyncLifetime
{
    /// <summary>A base time with microseconds, which every provider keeps exactly.</summary>
    protected static readonly DateTimeOffset T0 = new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero).AddTicks(1_234_560);

    private readonly List<ICatalogStore> _opened = [];

    protected CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Opens a new store instance on this test's database (applying <paramref name="migrations"/>),
    /// as another process would. Skips the test when the provider's server is not available.
    /// </summary>
    protected abstract Task<ICatalogStore> OpenNewStoreAsync(IReadOnlyList<SqlMigration> migrations);

    /// <summary>Runs raw SQL against this test's database, outside any store.</summary>
    protected abstract Task ExecuteSqlAsync(string sql);

    /// <summary>The first column of the first row of a raw query, as text (null for SQL NULL or no row).</summary>
    protected abstract Task<string?> QueryTextAsync(string sql);

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Opens a store that is disposed when the test ends.</summary>
    protected async Task<ICatalogStore> OpenStoreAsync(IReadOnlyList<SqlMigration>? migrations = null)
    {
        var store = await OpenNewStoreAsync(migrations ?? CatalogMigrations.All);
        lock (_opened)
        {
            _opened.Add(store);
        }

        return store;
    }

    protected static string RandomSha256() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    protected static Work NewWork(
        string title = "Untitled",
        MediaKind kind = MediaKind.Image,
        DateTimeOffset? registeredAt = null,
        string? sha256 = null,
        IReadOnlyList<string>? tags = null,
        IReadOnlyList<Contributor>? contributors = null,
        WorkMetadata? metadata = null)
    {
        var at = registeredAt ?? T0;
        return new Work
        {
            Id = WorkId.New(at),
            Title = title,
            Kind = kind,
            OriginalFileName = title + ".bin",
            MediaType = "application/octet-stream",
            ByteSize = 1234,
            Sha256 = sha256 ?? RandomSha256(),
            RegisteredAt = at,
            Tags = tags ?? [],
            Contributors = contributors ?? [],
            Metadata = metadata ?? WorkMetadata.Empty,
        };
    }

    protected static async Task<Work> AddAsync(ICatalogStore store, Work work, string? actor = "tester")
    {
        var result = await store.AddWorkAsync(work, actor, ct: TestContext.Current.CancellationToken);
        Assert.True(result.Added, $"work '{work.Title}' was not added");
        Assert.Equal(work.Id, result.WorkId);
        return work;
    }

    /// <summary>Asserts an instant came back in UTC and equal to what the catalog keeps of <paramref name="expected"/>.</summary>
    protected static void AssertStoredTime(DateTimeOffset expected, DateTimeOffset? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(TimeSpan.Zero, actual.Value.Offset);
        Assert.Equal(CatalogTime.Normalize(expected).UtcTicks, actual.Value.UtcTicks);
    }

    protected static void AssertSameWork(Work expected, Work? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Title, actual.Title);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.OriginalFileName, actual.OriginalFileName);
        Assert.Equal(expected.MediaType, actual.MediaType);
        Assert.Equal(expected.ByteSize, actual.ByteSize);
        Assert.Equal(expected.Sha256, actual.Sha256);
        Assert.Equal(expected.Contributors, actual.Contributors);
        Assert.Equal(expected.Tags, actual.Tags);
        AssertStoredTime(expected.RegisteredAt, actual.RegisteredAt);
        if (expected.DeletedAt is { } deletedAt)
        {
            AssertStoredTime(deletedAt, actual.DeletedAt);
        }
        else
        {
            Assert.Null(actual.DeletedAt);
        }

        AssertSameMetadata(expected.Metadata, actual.Metadata);
    }

    private static void AssertSameMetadata(WorkMetadata expected, WorkMetadata actual)
    {
        Assert.Equal(expected.Image, actual.Image);
        // Record equality compares DateTimeOffset instants only; the camera's offset must survive too.
        Assert.Equal(expected.Image?.CaptureTime?.Offset, actual.Image?.CaptureTime?.Offset);
        Assert.Equal(expected.Text, actual.Text);
        if (expected.Audio is null)
        {
            Assert.Null(actual.Audio);
            return;
        }

        Assert.NotNull(actual.Audio);
        Assert.Equal(expected.Audio with { Tags = actual.Audio.Tags }, actual.Audio);
        Assert.Equal(
            expected.Audio.Tags.OrderBy(t => t.Key, StringComparer.Ordinal),
            actual.Audio.Tags.OrderBy(t => t.Key, StringComparer.Ordinal));
    }
}
