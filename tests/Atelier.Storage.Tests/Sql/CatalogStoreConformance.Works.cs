using System.Text.Json;
using Atelier.Core;

namespace Atelier.Storage.Tests.Sql;

public abstract partial class CatalogStoreConformance
{
    [Fact]
    public async Task AddWorkAsync_imageWorkInChinese_roundTripsEveryField()
    {
        var store = await OpenStoreAsync();
        var work = NewWork(
            title: "春江花月夜 · 水墨",
            tags: ["水墨", "landscape", "宋代"],
            contributors: [new("张择端", "画家", 7000), new("Zoë Ångström", "restorer", 3000)],
            metadata: new WorkMetadata
            {
                Image = new ImageMetadata
                {
                    Width = 4032,
                    Height = 3024,
                    Format = "jpeg",
                    CaptureTime = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(8)),
                    CameraMake = "佳能",
                    CameraModel = "EOS R5",
                    Orientation = 6,
                    HasGps = true,
                },
            }) with
        {
            OriginalFileName = "画/春江花月夜 (最终版).jpg",
            MediaType = "image/jpeg",
            ByteSize = 5_000_000_000,
        };

        var result = await store.AddWorkAsync(work, "owner", ct: Ct);

        Assert.Equal(AddWorkResult.Inserted(work.Id), result);
        AssertSameWork(work, await store.GetWorkAsync(work.Id, Ct));
        AssertSameWork(work, await store.FindBySha256Async(work.Sha256, Ct));
    }

    [Fact]
    public async Task AddWorkAsync_audioMetadata_roundTripsEveryFieldAndTagKeysAsWritten()
    {
        var store = await OpenStoreAsync();
        var work = NewWork("月亮代表我的心", MediaKind.Audio, metadata: new WorkMetadata
        {
            Audio = new AudioMetadata
            {
                DurationSeconds = 187.123456789,
                SampleRate = 44100,
                Channels = 2,
                Codec = "flac",
                Container = "flac",
                BitRate = 9_876_543_210,
                Tags = new Dictionary<string, string>
                {
                    ["ARTIST"] = "邓丽君",
                    ["title"] = "月亮代表我的心",
                    ["Album Artist"] = "Teresa \"Teng\"",
                    ["演唱"] = "邓丽君",
                },
            },
        });

        await AddAsync(store, work);

        AssertSameWork(work, await store.GetWorkAsync(work.Id, Ct));
    }

    [Fact]
    public async Task AddWorkAsync_textMetadata_roundTripsEveryField()
    {
        var store = await OpenStoreAsync();
        var work = NewWork("将进酒", MediaKind.Text, metadata: new WorkMetadata
        {
            Text = new TextMetadata { Encoding = "gb18030", Language = "zh", Characters = 176, Words = 170, Lines = 12, Format = "plain" },
        });

        await AddAsync(store, work);

        AssertSameWork(work, await store.GetWorkAsync(work.Id, Ct));
    }

    [Fact]
    public async Task AddWorkAsync_noMetadataContributorsOrTags_roundTripsEmpty()
    {
        var store = await OpenStoreAsync();
        var work = NewWork("bare", MediaKind.Other);

        await AddAsync(store, work);

        var stored = await store.GetWorkAsync(work.Id, Ct);
        AssertSameWork(work, stored);
        Assert.Empty(stored!.Contributors);
        Assert.Empty(stored.Tags);
        Assert.Null(stored.Metadata.Image);
    }

    [Fact]
    public async Task AddWorkAsync_metadata_isStoredAsCamelCaseJson()
    {
        var store = await OpenStoreAsync();
        var work = NewWork("json", MediaKind.Audio, metadata: new WorkMetadata
        {
            Audio = new AudioMetadata { DurationSeconds = 1.5, SampleRate = 8000, Tags = new Dictionary<string, string> { ["ARTIST"] = "某人" } },
        });
        await AddAsync(store, work);

        var json = await QueryTextAsync("SELECT metadata FROM works");

        using var document = JsonDocument.Parse(json!);
        var audio = document.RootElement.GetProperty("audio");
        Assert.Equal(1.5, audio.GetProperty("durationSeconds").GetDouble());
        Assert.Equal(8000, audio.GetProperty("sampleRate").GetInt32());
        Assert.Equal("某人", audio.GetProperty("tags").GetProperty("ARTIST").GetString());
    }

    [Fact]
    public async Task AddWorkAsync_metadataStringsWithNulPadding_roundTrip()
    {
        // EXIF and ID3 fields often come padded with NULs; metadata keeps them as extracted.
        var store = await OpenStoreAsync();
        var work = NewWork(metadata: new WorkMetadata
        {
            Image = new ImageMetadata { Width = 1, Height = 1, CameraMake = "Canon\0\0\0", CameraModel = "\u0001\u001f\"\\</script>" },
        });

        await AddAsync(store, work);

        AssertSameWork(work, await store.GetWorkAsync(work.Id, Ct));
    }

    [Fact]
    public async Task AddWorkAsync_hostileText_isStoredVerbatim()
    {
        var store = await OpenStoreAsync();
        var work = NewWork("'); DROP TABLE works; --", tags: ["100%", "a_b", "it's"], contributors: [new("O'Brien \"Bob\" \\", "a;b")]) with
        {
            OriginalFileName = "../../etc/passwd .jpg",
        };

        await AddAsync(store, work);

        AssertSameWork(work, await store.GetWorkAsync(work.Id, Ct));
        Assert.Equal(1, (await store.ListWorksAsync(new WorkQuery(), Ct)).Total);
    }

    [Fact]
    public async Task AddWorkAsync_newWork_recordsRegisteredEventWithActor()
    {
        var store = await OpenStoreAsync();
        var work = await AddAsync(store, NewWork(), actor: "key:editor-1");

        var history = await store.GetHistoryAsync(work.Id, Ct);

        var registered = Assert.Single(history);
        Assert.Equal(work.Id, registered.WorkId);
        Assert.Equal("registered", registered.Type);
        Assert.Equal("key:editor-1", registered.Actor);
        AssertStoredTime(work.RegisteredAt, registered.At);
    }

    [Fact]
    public async Task AddWorkAsync_liveWorkHasSameHash_returnsExistingIdAndWritesNothing()
    {
        var store = await OpenStoreAsync();
        var first = await AddAsync(store, NewWork("first"));
        var second = NewWork("second", registeredAt: T0.AddMinutes(1), sha256: first.Sha256, tags: ["x"], contributors: [new("Ann", "painter")]);

        var result = await store.AddWorkAsync(second, "tester", ct: Ct);

        Assert.Equal(AddWorkResult.Duplicate(first.Id), result);
        Assert.Null(await store.GetWorkAsync(second.Id, Ct));
        Assert.Empty(await store.GetHistoryAsync(second.Id, Ct));
        Assert.Empty((await store.ListWorksAsync(new WorkQuery { Tag = "x" }, Ct)).Items);
        Assert.Equal(1, (await store.ListWorksAsync(new WorkQuery(), Ct)).Total);
        AssertSameWork(first, await store.FindBySha256Async(first.Sha256, Ct));
    }

    [Fact]
    public async Task AddWorkAsync_hashOfDeletedWork_registersNewWork()
    {
        var store = await OpenStoreAsync();
        var old = await AddAsync(store, NewWork("old"));
        Assert.True(await store.DeleteWorkAsync(old.Id, T0.AddMinutes(1), "owner", Ct));
        var again = NewWork("again", registeredAt: T0.AddMinutes(2), sha256: old.Sha256);

        var result = await store.AddWorkAsync(again, "owner", ct: Ct);

        Assert.Equal(AddWorkResult.Inserted(again.Id), result);
        AssertSameWork(again, await store.FindBySha256Async(old.Sha256, Ct));
        AssertSameWork(old with { DeletedAt = T0.AddMinutes(1) }, await store.GetWorkAsync(old.Id, Ct));
        Assert.Equal(AddWorkResult.Duplicate(again.Id), await store.AddWorkAsync(NewWork(sha256: old.Sha256), null, ct: Ct));
    }

    [Fact]
    public async Task AddWorkAsync_existingIdWithOtherContent_throwsAndWritesNothing()
    {
        var store = await OpenStoreAsync();
        var first = await AddAsync(store, NewWork("first"));
        var clash = NewWork("clash", tags: ["clash"]) with { Id = first.Id };

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.AddWorkAsync(clash, null, ct: Ct));

        AssertSameWork(first, await store.GetWorkAsync(first.Id, Ct));
        Assert.Null(await store.FindBySha256Async(clash.Sha256, Ct));
        Assert.Single(await store.GetHistoryAsync(first.Id, Ct));
    }

    [Fact]
    public async Task AddWorkAsync_invalidWork_throwsArgumentExceptionAndStoresNothing()
    {
        var store = await OpenStoreAsync();
        Work[] invalid =
        [
            NewWork() with { Id = "not-a-ulid" },
            NewWork() with { Sha256 = RandomSha256().ToUpperInvariant() },
            NewWork() with { Sha256 = "abc" },
            NewWork() with { ByteSize = -1 },
            NewWork() with { Kind = (MediaKind)42 },
            NewWork(contributors: [new("Ann", "composer", 6000), new("Bo", "lyricist", 3000)]),
            NewWork(contributors: [new(" ", "composer")]),
            NewWork(tags: ["ok", " "]),
            // PostgreSQL text cannot hold U+0000 or unpaired surrogates: every provider refuses them alike.
            NewWork("nul\0title"),
            NewWork(tags: ["half\ud800"]),
            NewWork(contributors: [new("Ann\0", "painter")]),
            NewWork() with { OriginalFileName = "a\udc00.jpg" },
        ];

        foreach (var work in invalid)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => store.AddWorkAsync(work, null, ct: Ct));
        }

        Assert.Equal(0, (await store.ListWorksAsync(new WorkQuery(), Ct)).Total);
    }

    [Fact]
    public async Task AddWorkAsync_registeredAtWithOffsetAndSubMicrosecondTicks_comesBackAsUtcMicroseconds()
    {
        var store = await OpenStoreAsync();
        var at = new DateTimeOffset(2025, 3, 1, 16, 0, 0, TimeSpan.FromHours(8)).AddTicks(1_234_567);
        var work = await AddAsync(store, NewWork(registeredAt: at));

        var stored = await store.GetWorkAsync(work.Id, Ct);

        Assert.Equal(TimeSpan.Zero, stored!.RegisteredAt.Offset);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), stored.RegisteredAt);
        AssertStoredTime(at, (await store.GetHistoryAsync(work.Id, Ct))[0].At);
    }

    [Fact]
    public async Task AddWorkAsync_timesFarFromNow_roundTrip()
    {
        var store = await OpenStoreAsync();
        DateTimeOffset[] times = [new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_990), new(2199, 12, 31, 23, 59, 59, 999, TimeSpan.Zero)];

        foreach (var at in times)
        {
            var work = await AddAsync(store, NewWork(registeredAt: at));
            AssertStoredTime(at, (await store.GetWorkAsync(work.Id, Ct))!.RegisteredAt);
        }
    }

    [Fact]
    public async Task GetWorkAsync_unknownId_returnsNull()
    {
        var store = await OpenStoreAsync();
        await AddAsync(store, NewWork());

        Assert.Null(await store.GetWorkAsync(WorkId.New(T0), Ct));
        Assert.Null(await store.GetWorkAsync("' OR 1=1 --", Ct));
        Assert.Null(await store.GetWorkAsync(WorkId.New(T0).ToUpperInvariant(), Ct));
        Assert.Null(await store.FindBySha256Async(RandomSha256(), Ct));
        Assert.Empty(await store.GetHistoryAsync(WorkId.New(T0), Ct));
    }

    [Fact]
    public async Task DeleteWorkAsync_liveWork_marksDeletedKeepsRecordAndAppendsEvent()
    {
        var store = await OpenStoreAsync();
        var work = await AddAsync(store, NewWork("to delete", tags: ["t"]), actor: "owner");
        var deletedAt = T0.AddHours(1).AddTicks(5);

        Assert.True(await store.DeleteWorkAsync(work.Id, deletedAt, "key:admin", Ct));

        AssertSameWork(work with { DeletedAt = deletedAt }, await store.GetWorkAsync(work.Id, Ct));
        Assert.Null(await store.FindBySha256Async(work.Sha256, Ct));
        Assert.Equal(0, (await store.ListWorksAsync(new WorkQuery { Tag = "t" }, Ct)).Total);
        var history = await store.GetHistoryAsync(work.Id, Ct);
        Assert.Equal(["registered", "deleted"], history.Select(e => e.Type));
        Assert.Equal(["owner", "key:admin"], history.Select(e => e.Actor));
        AssertStoredTime(deletedAt, history[1].At);
    }

    [Fact]
    public async Task DeleteWorkAsync_unknownOrAlreadyDeleted_returnsFalseAndAppendsNothing()
    {
        var store = await OpenStoreAsync();
        var work = await AddAsync(store, NewWork());
        Assert.True(await store.DeleteWorkAsync(work.Id, T0.AddMinutes(1), null, Ct));

        Assert.False(await store.DeleteWorkAsync(work.Id, T0.AddMinutes(2), "again", Ct));
        Assert.False(await store.DeleteWorkAsync(WorkId.New(T0), T0, null, Ct));

        Assert.Equal(2, (await store.GetHistoryAsync(work.Id, Ct)).Count);
        AssertStoredTime(T0.AddMinutes(1), (await store.GetWorkAsync(work.Id, Ct))!.DeletedAt);
    }

    [Fact]
    public async Task IsBlobReferencedAsync_followsLiveWorks()
    {
        var store = await OpenStoreAsync();
        var work = await AddAsync(store, NewWork());
        Assert.True(await store.IsBlobReferencedAsync(work.Sha256, Ct));
        Assert.False(await store.IsBlobReferencedAsync(RandomSha256(), Ct));

        await store.DeleteWorkAsync(work.Id, T0.AddMinutes(1), null, Ct);
        Assert.False(await store.IsBlobReferencedAsync(work.Sha256, Ct));

        await AddAsync(store, NewWork(sha256: work.Sha256, registeredAt: T0.AddMinutes(2)));
        Assert.True(await store.IsBlobReferencedAsync(work.Sha256, Ct));
    }

    [Fact]
    public async Task OpenStore_secondInstance_seesWhatTheFirstWrote()
    {
        var first = await OpenStoreAsync();
        var work = await AddAsync(first, NewWork("持久"));
        await first.DisposeAsync();

        var second = await OpenStoreAsync();

        AssertSameWork(work, await second.GetWorkAsync(work.Id, Ct));
    }

    [Fact]
    public async Task Lookups_textNoWorkOrKeyCanHold_findNothing()
    {
        var store = await OpenStoreAsync();
        var work = await AddAsync(store, NewWork("a title", tags: ["tag"]));
        await store.AddApiKeyAsync(new ApiKey { Id = "k1", Name = "k", Role = Role.Viewer, SecretHash = RandomSha256(), CreatedAt = T0 }, Ct);
        string[] unstorable = ["\0", work.Id + "\0", "\ud800", "tag\udc00"];

        foreach (var text in unstorable)
        {
            Assert.Null(await store.GetWorkAsync(text, Ct));
            Assert.Null(await store.FindBySha256Async(text, Ct));
            Assert.False(await store.IsBlobReferencedAsync(text, Ct));
            Assert.Empty(await store.GetHistoryAsync(text, Ct));
            Assert.False(await store.DeleteWorkAsync(text, T0, null, Ct));
            Assert.Null(await store.FindApiKeyBySecretHashAsync(text, Ct));
            Assert.False(await store.RevokeApiKeyAsync(text, T0, Ct));
            Assert.Equal(0, (await store.ListWorksAsync(new WorkQuery { Tag = text }, Ct)).Total);
            Assert.Equal(0, (await store.ListWorksAsync(new WorkQuery { TitleContains = text }, Ct)).Total);
        }

        AssertSameWork(work, await store.GetWorkAsync(work.Id, Ct));
    }
}
