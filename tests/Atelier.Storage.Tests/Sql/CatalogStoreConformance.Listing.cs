using Atelier.Core;
using Atelier.Storage.Sql;

namespace Atelier.Storage.Tests.Sql;

public abstract partial class CatalogStoreConformance
{
    [Fact]
    public async Task ListWorksAsync_noFilter_listsLiveWorksByRegistrationTimeThenId()
    {
        var store = await OpenStoreAsync();
        var late = await AddAsync(store, NewWork("late", registeredAt: T0.AddHours(2)));
        var early = await AddAsync(store, NewWork("early", registeredAt: T0));
        var deleted = await AddAsync(store, NewWork("deleted", registeredAt: T0.AddHours(1)));
        var sameTimeA = await AddAsync(store, NewWork("same time a", registeredAt: T0.AddHours(1)));
        var sameTimeB = await AddAsync(store, NewWork("same time b", registeredAt: T0.AddHours(1)));
        await store.DeleteWorkAsync(deleted.Id, T0.AddHours(3), null, Ct);

        var page = await store.ListWorksAsync(new WorkQuery(), Ct);

        string[] sameTime = [.. new[] { sameTimeA.Id, sameTimeB.Id }.Order(StringComparer.Ordinal)];
        Assert.Equal([early.Id, .. sameTime, late.Id], page.Items.Select(w => w.Id));
        Assert.Equal(4, page.Total);
        AssertSameWork(early, page.Items[0]);
    }

    [Fact]
    public async Task ListWorksAsync_listedWorks_carryTheirContributorsAndTags()
    {
        var store = await OpenStoreAsync();
        var a = await AddAsync(store, NewWork("a", tags: ["1", "2"], contributors: [new("Ann", "painter", 5000), new("Bo", "framer", 5000)]));
        var b = await AddAsync(store, NewWork("b", registeredAt: T0.AddSeconds(1), tags: ["3"], contributors: [new("Cy", "poet")]));
        var c = await AddAsync(store, NewWork("c", registeredAt: T0.AddSeconds(2)));

        var page = await store.ListWorksAsync(new WorkQuery(), Ct);

        Assert.Equal(3, page.Items.Count);
        AssertSameWork(a, page.Items[0]);
        AssertSameWork(b, page.Items[1]);
        AssertSameWork(c, page.Items[2]);
    }

    [Fact]
    public async Task ListWorksAsync_kindFilter_listsOnlyThatKind()
    {
        var store = await OpenStoreAsync();
        await AddAsync(store, NewWork("picture", MediaKind.Image));
        var song = await AddAsync(store, NewWork("song", MediaKind.Audio));
        await AddAsync(store, NewWork("poem", MediaKind.Text));

        var page = await store.ListWorksAsync(new WorkQuery { Kind = MediaKind.Audio }, Ct);

        Assert.Equal(song.Id, Assert.Single(page.Items).Id);
        Assert.Equal(1, page.Total);
        Assert.Equal(0, (await store.ListWorksAsync(new WorkQuery { Kind = MediaKind.Other }, Ct)).Total);
    }

    [Fact]
    public async Task ListWorksAsync_tagFilter_matchesWholeTagExactly()
    {
        var store = await OpenStoreAsync();
        var poster = await AddAsync(store, NewWork("poster", tags: ["poster", "水墨"]));
        await AddAsync(store, NewWork("posters", tags: ["posters"]));
        await AddAsync(store, NewWork("Poster", tags: ["Poster"]));
        await AddAsync(store, NewWork("none"));

        Assert.Equal([poster.Id], (await store.ListWorksAsync(new WorkQuery { Tag = "poster" }, Ct)).Items.Select(w => w.Id));
        Assert.Equal([poster.Id], (await store.ListWorksAsync(new WorkQuery { Tag = "水墨" }, Ct)).Items.Select(w => w.Id));
        Assert.Equal(0, (await store.ListWorksAsync(new WorkQuery { Tag = "post%" }, Ct)).Total);
    }

    [Theory]
    [InlineData("ÄRGER", "Ärger im Café")]
    [InlineData("im café", "Ärger im Café")]
    [InlineData("花月", "春江花月夜")]
    [InlineData("σοφία", "ΣΟΦΊΑ ΚΑΙ ΓΝΏΣΗ")]
    [InlineData("atelier", "ＡＴＥＬＩＥＲ 展")]
    [InlineData("NIGHT", "Starry night")]
    public async Task ListWorksAsync_titleContains_ignoresCaseInAnyScript(string search, string title)
    {
        var store = await OpenStoreAsync();
        var match = await AddAsync(store, NewWork(title));
        await AddAsync(store, NewWork("Sonnet 18"));

        var page = await store.ListWorksAsync(new WorkQuery { TitleContains = search }, Ct);

        Assert.Equal(match.Id, Assert.Single(page.Items).Id);
        Assert.Equal(1, page.Total);
    }

    [Theory]
    [InlineData("100%", "100% cotton", "1000 cotton")]
    [InlineData("a_b", "file a_b", "file axb")]
    [InlineData("!", "wow!", "wow")]
    [InlineData("'", "it's", "its")]
    [InlineData("\\", "back\\slash", "backslash")]
    public async Task ListWorksAsync_titleContainsSpecialCharacters_matchesThemLiterally(string search, string title, string other)
    {
        var store = await OpenStoreAsync();
        var match = await AddAsync(store, NewWork(title));
        await AddAsync(store, NewWork(other));

        var page = await store.ListWorksAsync(new WorkQuery { TitleContains = search }, Ct);

        Assert.Equal(match.Id, Assert.Single(page.Items).Id);
    }

    [Fact]
    public async Task ListWorksAsync_combinedFilters_allApply()
    {
        var store = await OpenStoreAsync();
        var hit = await AddAsync(store, NewWork("夜曲 Nocturne", MediaKind.Audio, tags: ["钢琴"]));
        await AddAsync(store, NewWork("夜曲 score", MediaKind.Text, tags: ["钢琴"]));
        await AddAsync(store, NewWork("夜曲 live", MediaKind.Audio, tags: ["live"]));
        await AddAsync(store, NewWork("Etude", MediaKind.Audio, tags: ["钢琴"]));

        var page = await store.ListWorksAsync(new WorkQuery { Kind = MediaKind.Audio, Tag = "钢琴", TitleContains = "夜曲" }, Ct);

        Assert.Equal(hit.Id, Assert.Single(page.Items).Id);
        Assert.Equal(1, page.Total);
    }

    [Fact]
    public async Task ListWorksAsync_offsetAndLimit_returnSliceAndFullTotal()
    {
        var store = await OpenStoreAsync();
        var works = new List<Work>();
        for (var i = 0; i < 7; i++)
        {
            works.Add(await AddAsync(store, NewWork($"work {i}", registeredAt: T0.AddMinutes(i))));
        }

        var page = await store.ListWorksAsync(new WorkQuery { Offset = 2, Limit = 3 }, Ct);
        var past = await store.ListWorksAsync(new WorkQuery { Offset = 7, Limit = 3 }, Ct);
        var negative = await store.ListWorksAsync(new WorkQuery { Offset = -5, Limit = 2 }, Ct);

        Assert.Equal(works.Skip(2).Take(3).Select(w => w.Id), page.Items.Select(w => w.Id));
        Assert.Equal(7, page.Total);
        Assert.Empty(past.Items);
        Assert.Equal(7, past.Total);
        Assert.Equal(works.Take(2).Select(w => w.Id), negative.Items.Select(w => w.Id));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-3, 1)]
    [InlineData(int.MaxValue, 4)]
    public async Task ListWorksAsync_limitOutOfRange_isClamped(int limit, int expected)
    {
        var store = await OpenStoreAsync();
        for (var i = 0; i < 4; i++)
        {
            await AddAsync(store, NewWork($"work {i}", registeredAt: T0.AddMinutes(i)));
        }

        var page = await store.ListWorksAsync(new WorkQuery { Limit = limit }, Ct);

        Assert.Equal(expected, page.Items.Count);
        Assert.Equal(4, page.Total);
    }

    [Fact]
    public async Task ListWorksAsync_limitAboveMaximum_returnsAtMostMaxPageSize()
    {
        var store = await OpenStoreAsync();
        var count = SqlCatalogStore.MaxPageSize + 1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async part =>
        {
            for (var i = part; i < count; i += 4)
            {
                await AddAsync(store, NewWork($"bulk {i}", registeredAt: T0.AddSeconds(i)));
            }
        }));

        var page = await store.ListWorksAsync(new WorkQuery { Limit = 10_000 }, Ct);

        Assert.Equal(SqlCatalogStore.MaxPageSize, page.Items.Count);
        Assert.Equal(count, page.Total);
        Assert.Equal("bulk 0", page.Items[0].Title);
    }

    [Fact]
    public async Task ListWorksAsync_titleSearchTooLong_throwsArgumentException()
    {
        var store = await OpenStoreAsync();
        var longest = new string('长', SqlCatalogStore.MaxTitleSearchLength);
        var work = await AddAsync(store, NewWork(longest + "!"));

        Assert.Equal(work.Id, Assert.Single((await store.ListWorksAsync(new WorkQuery { TitleContains = longest }, Ct)).Items).Id);
        await Assert.ThrowsAsync<ArgumentException>(() => store.ListWorksAsync(new WorkQuery { TitleContains = longest + "长" }, Ct));
    }
}
