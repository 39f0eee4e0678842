using Atelier.Core;

namespace Atelier.Catalog.Tests;

public class ApiKeyServiceTests
{
    [Fact]
    public async Task Authenticate_createdKey_returnsItsRoleUntilRevoked()
    {
        await using var t = await TestRuntime.CreateAsync();
        var created = await t.Runtime.Keys.CreateAsync(Role.Editor, "ci");

        var found = await t.Runtime.Keys.AuthenticateAsync(created.Secret);
        Assert.Equal(Role.Editor, found!.Role);

        Assert.True(await t.Runtime.Keys.RevokeAsync(created.Key.Id));
        Assert.Null(await t.Runtime.Keys.AuthenticateAsync(created.Secret));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("atk_nope_nope")]
    [InlineData("Bearer atk_")]
    public async Task Authenticate_unknownOrMalformed_returnsNull(string? secret)
    {
        await using var t = await TestRuntime.CreateAsync();
        await t.Runtime.Keys.CreateAsync(Role.Owner, null);
        Assert.Null(await t.Runtime.Keys.AuthenticateAsync(secret));
    }

    [Fact]
    public async Task Create_storesOnlyTheHash()
    {
        await using var t = await TestRuntime.CreateAsync();
        var created = await t.Runtime.Keys.CreateAsync(Role.Viewer, null);
        var stored = (await t.Runtime.Keys.ListAsync()).Single();

        Assert.NotEqual(created.Secret, stored.SecretHash);
        Assert.DoesNotContain(created.Secret[^20..], stored.SecretHash, StringComparison.Ordinal);
        var db = await File.ReadAllBytesAsync(t.Runtime.Settings.SqlitePath);
        Assert.DoesNotContain(created.Secret, System.Text.Encoding.UTF8.GetString(db), StringComparison.Ordinal);
    }
}
