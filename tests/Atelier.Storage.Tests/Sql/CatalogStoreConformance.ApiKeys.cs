using Atelier.Core;

namespace Atelier.Storage.Tests.Sql;

public abstract partial class CatalogStoreConformance
{
    private static ApiKey NewKey(string id, Role role = Role.Editor, DateTimeOffset? createdAt = null) => new()
    {
        Id = id,
        Name = $"key {id}",
        Role = role,
        SecretHash = RandomSha256(),
        CreatedAt = createdAt ?? T0,
    };

    private static void AssertSameKey(ApiKey expected, ApiKey? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Role, actual.Role);
        Assert.Equal(expected.SecretHash, actual.SecretHash);
        AssertStoredTime(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.RevokedAt is null, actual.RevokedAt is null);
        Assert.Equal(expected.LastUsedAt is null, actual.LastUsedAt is null);
        if (expected.RevokedAt is { } revokedAt)
        {
            AssertStoredTime(revokedAt, actual.RevokedAt);
        }

        if (expected.LastUsedAt is { } lastUsedAt)
        {
            AssertStoredTime(lastUsedAt, actual.LastUsedAt);
        }
    }

    [Fact]
    public async Task AddApiKeyAsync_newKey_isFoundBySecretHash()
    {
        var store = await OpenStoreAsync();
        var key = NewKey("k1", Role.Owner) with { Name = "管理员的钥匙", LastUsedAt = T0.AddDays(1) };

        await store.AddApiKeyAsync(key, Ct);

        AssertSameKey(key, await store.FindApiKeyBySecretHashAsync(key.SecretHash, Ct));
        Assert.Null(await store.FindApiKeyBySecretHashAsync(RandomSha256(), Ct));
    }

    [Fact]
    public async Task ListApiKeysAsync_keys_listsAllOldestFirstIncludingRevoked()
    {
        var store = await OpenStoreAsync();
        var viewer = NewKey("viewer", Role.Viewer, T0.AddHours(2));
        var owner = NewKey("owner", Role.Owner, T0);
        var editor = NewKey("editor", Role.Editor, T0.AddHours(1));
        foreach (var key in new[] { viewer, owner, editor })
        {
            await store.AddApiKeyAsync(key, Ct);
        }

        await store.RevokeApiKeyAsync(editor.Id, T0.AddHours(3), Ct);

        var keys = await store.ListApiKeysAsync(Ct);

        Assert.Equal(["owner", "editor", "viewer"], keys.Select(k => k.Id));
        AssertSameKey(owner, keys[0]);
        AssertSameKey(editor with { RevokedAt = T0.AddHours(3) }, keys[1]);
        AssertSameKey(viewer, keys[2]);
    }

    [Fact]
    public async Task RevokeApiKeyAsync_liveKey_setsRevokedAtAndKeyIsStillFound()
    {
        var store = await OpenStoreAsync();
        var key = NewKey("k1");
        await store.AddApiKeyAsync(key, Ct);
        var at = T0.AddDays(2).AddTicks(3);

        Assert.True(await store.RevokeApiKeyAsync(key.Id, at, Ct));

        AssertSameKey(key with { RevokedAt = at }, await store.FindApiKeyBySecretHashAsync(key.SecretHash, Ct));
    }

    [Fact]
    public async Task RevokeApiKeyAsync_unknownOrAlreadyRevoked_returnsFalseAndKeepsFirstTime()
    {
        var store = await OpenStoreAsync();
        var key = NewKey("k1");
        await store.AddApiKeyAsync(key, Ct);
        Assert.True(await store.RevokeApiKeyAsync(key.Id, T0.AddDays(1), Ct));

        Assert.False(await store.RevokeApiKeyAsync(key.Id, T0.AddDays(2), Ct));
        Assert.False(await store.RevokeApiKeyAsync("missing", T0, Ct));

        AssertStoredTime(T0.AddDays(1), (await store.FindApiKeyBySecretHashAsync(key.SecretHash, Ct))!.RevokedAt);
    }

    [Fact]
    public async Task AddApiKeyAsync_sameIdOrSameSecret_throwsAndKeepsTheFirst()
    {
        var store = await OpenStoreAsync();
        var key = NewKey("k1", Role.Viewer);
        await store.AddApiKeyAsync(key, Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.AddApiKeyAsync(NewKey("k1", Role.Owner), Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.AddApiKeyAsync(NewKey("k2", Role.Owner) with { SecretHash = key.SecretHash }, Ct));

        AssertSameKey(key, Assert.Single(await store.ListApiKeysAsync(Ct)));
    }

    [Fact]
    public async Task AddApiKeyAsync_secretInsteadOfHash_throwsWithoutEchoingIt()
    {
        var store = await OpenStoreAsync();
        const string secret = "atelier_sk_live_DO_NOT_LOG_1234567890";

        var e = await Assert.ThrowsAsync<ArgumentException>(() => store.AddApiKeyAsync(NewKey("k1") with { SecretHash = secret }, Ct));

        Assert.DoesNotContain(secret, e.ToString(), StringComparison.Ordinal);
        Assert.Empty(await store.ListApiKeysAsync(Ct));
    }
}
