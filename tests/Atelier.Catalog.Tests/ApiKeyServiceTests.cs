using Atelier.Core;

namespace Atelier.Catalog.Tests;

public class ApiKeyServiceTests
{
    [Fact]
    public async Task Authenticate_createdKey_returnsItsRoleUntilRevoked()
    {
        await using var t = await TestRuntime.CreateAsync();
        var created = await t.Runtime.Keys.CreateAsync(Role.Editor, "ci", TestContext.Current.CancellationToken);

        var found = await t.Runtime.Keys.AuthenticateAsync(created.Secret, TestContext.Current.CancellationToken);
        Assert.Equal(Role.Editor, found!.Role);

        Assert.True(await t.Runtime.Keys.RevokeAsync(created.Key.Id, TestContext.Current.CancellationToken));
        Assert.Null(await t.Runtime.Keys.AuthenticateAsync(created.Secret, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("atk_nope_nope")]
    [InlineData("Bearer atk_")]
    public async Task Authenticate_unknownOrMalformed_returnsNull(string? secret)
    {
        await using var t = await TestRuntime.CreateAsync();
        await t.Runtime.Keys.CreateAsync(Role.Owner, null, TestContext.Current.CancellationToken);
        Assert.Null(await t.Runtime.Keys.AuthenticateAsync(secret, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Create_storesOnlyTheHash()
    {
        await using var t = await TestRuntime.CreateAsync();
        var created = await t.Runtime.Keys.CreateAsync(Role.Viewer, null, TestContext.Current.CancellationToken);
        var stored = (await t.Runtime.Keys.ListAsync(TestContext.Current.CancellationToken)).Single();

        Assert.NotEqual(created.Secret, stored.SecretHash);
        Assert.DoesNotContain(created.Secret[^20..], stored.SecretHash, StringComparison.Ordinal);
        var db = await File.ReadAllBytesAsync(t.Runtime.Settings.SqlitePath, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(created.Secret, System.Text.Encoding.UTF8.GetString(db), StringComparison.Ordinal);
    }
}
