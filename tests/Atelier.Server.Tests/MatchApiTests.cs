using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Atelier.Testing;

namespace Atelier.Server.Tests;

public class MatchApiTests
{
    [Fact]
    public async Task Match_suspectQuotingARegisteredText_returnsPartialMatchWithSpans()
    {
        await using var f = await ServerFixture.StartAsync();
        var original = Fixtures.Text(6000, 31);
        using var created = await f.Client(f.EditorKey).PostAsync("/api/works", ServerFixture.Form(Encoding.UTF8.GetBytes(original), "chapter.txt"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("workId").GetString();

        var passage = original.Substring(2000, 700);
        var suspect = "Completely different opening words about weather and trains. " + passage + " And an ending about nothing in particular.";
        using (var anonymous = await f.Client().PostAsync("/api/match", ServerFixture.Form(Encoding.UTF8.GetBytes(suspect), "suspect.txt"), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using var res = await f.Client(f.ViewerKey).PostAsync("/api/match", ServerFixture.Form(Encoding.UTF8.GetBytes(suspect), "suspect.txt"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var report = await res.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var best = report.GetProperty("matches")[0];
        Assert.Equal(id, best.GetProperty("workId").GetString());
        Assert.Equal("partial", best.GetProperty("grade").GetString());
        Assert.NotEmpty(best.GetProperty("evidence").GetProperty("passages").EnumerateArray());

        using var exact = await f.Client(f.ViewerKey).PostAsync("/api/match", ServerFixture.Form(Encoding.UTF8.GetBytes(original), "copy.txt"), TestContext.Current.CancellationToken);
        var exactReport = await exact.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("exact", exactReport.GetProperty("matches")[0].GetProperty("grade").GetString());
    }
}
