using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Atelier.Testing;

namespace Atelier.Server.Tests;

public class WorksApiTests
{
    [Fact]
    public async Task Health_withoutKey_isOk()
    {
        await using var f = await ServerFixture.StartAsync();
        using var res = await f.Client().GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
    }

    [Theory]
    [InlineData("/api/works")]
    [InlineData("/api/works/01h0000000000000000000000a")]
    [InlineData("/openapi/v1.json")]
    public async Task Endpoints_withoutKey_get401ProblemJson(string path)
    {
        await using var f = await ServerFixture.StartAsync();
        using var res = await f.Client().GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, res.StatusCode);
        Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", res.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Upload_withViewerKey_gets403()
    {
        await using var f = await ServerFixture.StartAsync();
        using var res = await f.Client(f.ViewerKey).PostAsync("/api/works", ServerFixture.Form(Fixtures.Png(8, 8, 1), "a.png"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, res.StatusCode);
        Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, (await f.Runtime.Works.ListAsync(new(), TestContext.Current.CancellationToken)).Total);
    }

    [Fact]
    public async Task Request_withRevokedOrWrongKey_gets401()
    {
        await using var f = await ServerFixture.StartAsync();
        var key = await f.Runtime.Keys.CreateAsync(Core.Role.Owner, "temp", TestContext.Current.CancellationToken);
        using (var ok = await f.Client(key.Secret).GetAsync("/api/works", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        await f.Runtime.Keys.RevokeAsync(key.Key.Id, TestContext.Current.CancellationToken);
        using var revoked = await f.Client(key.Secret).GetAsync("/api/works", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        using var wrong = await f.Client("atk_x_" + new string('a', 43)).GetAsync("/api/works", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task Upload_thenListShowAndDownload_roundTrips()
    {
        await using var f = await ServerFixture.StartAsync();
        var png = Fixtures.Png(50, 40, 2);
        using var editor = f.Client(f.EditorKey);
        using var created = await editor.PostAsync("/api/works", ServerFixture.Form(png, "作品.png",
            ("title", "港口的早晨"), ("tags", "sea,2026"), ("contributors", """[{"name":"Ann","role":"photographer","shareBasisPoints":10000}]""")), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("imported", body.GetProperty("status").GetString());
        var id = body.GetProperty("workId").GetString()!;
        Assert.EndsWith("/api/works/" + id, created.Headers.Location!.ToString(), StringComparison.Ordinal);

        using var viewer = f.Client(f.ViewerKey);
        var list = await viewer.GetFromJsonAsync<JsonElement>("/api/works?kind=image&tag=sea&q=" + Uri.EscapeDataString("早晨"), TestContext.Current.CancellationToken);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        var item = list.GetProperty("items")[0];
        Assert.Equal("港口的早晨", item.GetProperty("title").GetString());
        Assert.Equal("image", item.GetProperty("kind").GetString());
        Assert.Equal("作品.png", item.GetProperty("originalFileName").GetString());
        Assert.Equal(50, item.GetProperty("metadata").GetProperty("image").GetProperty("width").GetInt32());
        Assert.Equal(10000, item.GetProperty("contributors")[0].GetProperty("shareBasisPoints").GetInt32());
        Assert.Equal(0, (await viewer.GetFromJsonAsync<JsonElement>("/api/works?kind=audio", TestContext.Current.CancellationToken)).GetProperty("total").GetInt32());

        var one = await viewer.GetFromJsonAsync<JsonElement>("/api/works/" + id, TestContext.Current.CancellationToken);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png)), one.GetProperty("work").GetProperty("sha256").GetString());
        Assert.Equal("registered", one.GetProperty("history")[0].GetProperty("type").GetString());

        Assert.Equal(png, await viewer.GetByteArrayAsync($"/api/works/{id}/content", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Content_rangeRequests_areServed()
    {
        await using var f = await ServerFixture.StartAsync();
        var png = Fixtures.Png(64, 64, 3);
        using var editor = f.Client(f.EditorKey);
        using var created = await editor.PostAsync("/api/works", ServerFixture.Form(png, "r.png"), TestContext.Current.CancellationToken);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("workId").GetString();

        using var req = new HttpRequestMessage(HttpMethod.Get, $"/api/works/{id}/content");
        req.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(10, 19);
        using var partial = await editor.SendAsync(req, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(png[10..20], await partial.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal($"bytes 10-19/{png.Length}", partial.Content.Headers.ContentRange!.ToString());

        using var suffix = new HttpRequestMessage(HttpMethod.Get, $"/api/works/{id}/content");
        suffix.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(null, 5);
        using var tail = await editor.SendAsync(suffix, TestContext.Current.CancellationToken);
        Assert.Equal(png[^5..], await tail.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        using var beyond = new HttpRequestMessage(HttpMethod.Get, $"/api/works/{id}/content");
        beyond.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(png.Length + 10, null);
        using var unsatisfiable = await editor.SendAsync(beyond, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
    }

    [Fact]
    public async Task Delete_needsOwner_andKeepsTheRecord()
    {
        await using var f = await ServerFixture.StartAsync();
        using var editor = f.Client(f.EditorKey);
        using var created = await editor.PostAsync("/api/works", ServerFixture.Form(Fixtures.Png(8, 8, 4), "d.png"), TestContext.Current.CancellationToken);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("workId").GetString();

        using (var forbidden = await editor.DeleteAsync($"/api/works/{id}", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        using var owner = f.Client(f.OwnerKey);
        using (var deleted = await owner.DeleteAsync($"/api/works/{id}", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal(0, (await owner.GetFromJsonAsync<JsonElement>("/api/works", TestContext.Current.CancellationToken)).GetProperty("total").GetInt32());
        var record = await owner.GetFromJsonAsync<JsonElement>($"/api/works/{id}", TestContext.Current.CancellationToken);
        Assert.True(record.GetProperty("work").TryGetProperty("deletedAt", out _));
        using var gone = await owner.GetAsync($"/api/works/{id}/content", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        using var again = await owner.DeleteAsync($"/api/works/{id}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Upload_overTheLimit_gets413AndStoresNothing()
    {
        await using var f = await ServerFixture.StartAsync(maxUploadBytes: 64 * 1024);
        var big = Encoding.UTF8.GetBytes(Fixtures.Text(200 * 1024, 1));
        using var res = await f.Client(f.EditorKey).PostAsync("/api/works", ServerFixture.Form(big, "big.txt"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, res.StatusCode);
        Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await f.Runtime.Blobs.ListAsync(TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Empty(Directory.GetFiles(f.Runtime.Settings.StagingDirectory));
    }

    [Fact]
    public async Task Upload_sameContentTwice_isReportedDuplicate()
    {
        await using var f = await ServerFixture.StartAsync();
        var png = Fixtures.Png(9, 9, 5);
        using var editor = f.Client(f.EditorKey);
        using var first = await editor.PostAsync("/api/works", ServerFixture.Form(png, "a.png"), TestContext.Current.CancellationToken);
        using var second = await editor.PostAsync("/api/works", ServerFixture.Form(png, "b.png"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var a = await first.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var b = await second.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("duplicate", b.GetProperty("status").GetString());
        Assert.Equal(a.GetProperty("workId").GetString(), b.GetProperty("workId").GetString());
    }

    [Fact]
    public async Task Upload_badInput_getsClearProblems()
    {
        await using var f = await ServerFixture.StartAsync();
        using var editor = f.Client(f.EditorKey);

        using var corrupt = await editor.PostAsync("/api/works", ServerFixture.Form([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3], "broken.png"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, corrupt.StatusCode);

        using var notMultipart = await editor.PostAsync("/api/works", new StringContent("{}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notMultipart.StatusCode);

        using var noFile = new MultipartFormDataContent { { new StringContent("x"), "title" } };
        using var missing = await editor.PostAsync("/api/works", noFile, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);

        using var badShares = await editor.PostAsync("/api/works", ServerFixture.Form(Fixtures.Png(8, 8, 6), "s.png",
            ("contributors", """[{"name":"A","role":"x","shareBasisPoints":5000}]""")), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, badShares.StatusCode);
        Assert.Contains("10000", await badShares.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var badJson = await editor.PostAsync("/api/works", ServerFixture.Form(Fixtures.Png(8, 8, 7), "j.png", ("contributors", "[{")), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);

        using var truncated = new StringContent("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\nabc", Encoding.UTF8);
        truncated.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        using var cut = await editor.PostAsync("/api/works", truncated, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, cut.StatusCode);

        Assert.Equal(0, (await f.Runtime.Works.ListAsync(new(), TestContext.Current.CancellationToken)).Total);
        Assert.Empty(Directory.GetFiles(f.Runtime.Settings.StagingDirectory));
    }

    [Fact]
    public async Task OpenApi_withKey_describesTheWorksApi()
    {
        await using var f = await ServerFixture.StartAsync();
        var doc = await f.Client(f.ViewerKey).GetFromJsonAsync<JsonElement>("/openapi/v1.json", TestContext.Current.CancellationToken);
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/works", out _));
        Assert.True(paths.TryGetProperty("/api/works/{id}/content", out _));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("01H0000000000000000000000A%00")]
    [InlineData("not-an-id")]
    public async Task Get_hostileIds_get404(string id)
    {
        await using var f = await ServerFixture.StartAsync();
        using var res = await f.Client(f.ViewerKey).GetAsync("/api/works/" + Uri.EscapeDataString(id), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, res.StatusCode);
    }
}
