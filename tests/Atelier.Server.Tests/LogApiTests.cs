using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atelier.Testing;
using Atelier.Transparency.Receipts;

namespace Atelier.Server.Tests;

public class LogApiTests
{
    [Fact]
    public async Task PublicLog_afterUploads_servesCheckpointTilesAndProofsWithoutKey()
    {
        await using var f = await ServerFixture.StartAsync();
        using var editor = f.Client(f.EditorKey);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var res = await editor.PostAsync("/api/works", ServerFixture.Form(Fixtures.Png(12, 12, 100 + i), $"p{i}.png"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Created, res.StatusCode);
            var body = await res.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            Assert.True(body.GetProperty("logIndex").GetInt64() >= 0);
            ids.Add(body.GetProperty("workId").GetString()!);
        }

        using var anonymous = f.Client();
        using var checkpoint = await anonymous.GetAsync("/log/checkpoint", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, checkpoint.StatusCode);
        Assert.True(checkpoint.Headers.CacheControl!.NoCache);
        var note = await checkpoint.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal("3", note.Split('\n')[1]);

        using var tile = await anonymous.GetAsync("/log/tile/0/000.p/3", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
        Assert.Equal(3 * 32, (await tile.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length);
        using var bundle = await anonymous.GetAsync("/log/tile/entries/000.p/3", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        using var missing = await anonymous.GetAsync("/log/tile/0/..%2F..%2Fetc%2Fpasswd", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var malformed = await anonymous.GetAsync("/log/tile/0/abc", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);

        var consistency = await anonymous.GetFromJsonAsync<JsonElement>("/log/proof/consistency?old=1&new=3", TestContext.Current.CancellationToken);
        Assert.NotEmpty(consistency.GetProperty("proof").EnumerateArray());
        using var badSizes = await anonymous.GetAsync("/log/proof/consistency?old=0&new=3", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, badSizes.StatusCode);

        using (var noKey = await anonymous.GetAsync($"/api/works/{ids[1]}/proof", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        }

        var receipt = await f.Client(f.ViewerKey).GetByteArrayAsync($"/api/works/{ids[1]}/proof", TestContext.Current.CancellationToken);
        var report = ReceiptVerifier.Verify(receipt, f.Runtime.Log.Verifier);
        Assert.True(report.Valid, string.Join("; ", report.Checks.Select(c => $"{c.Name}: {c.Detail}")));
        Assert.Equal(ids[1], report.Registration!.WorkId);
    }

    [Fact]
    public async Task Upload_withWaitFalse_returns202WithPendingTicket()
    {
        await using var f = await ServerFixture.StartAsync();
        using var res = await f.Client(f.EditorKey).PostAsync("/api/works?wait=false", ServerFixture.Form(Fixtures.Png(12, 12, 7), "t.png"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, res.StatusCode);
        var body = await res.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(body.GetProperty("pendingTicket").GetInt64() > 0);
    }
}
