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

    [Fact]
    public async Task Match_excerptOfARegisteredRecording_returnsTheAudioEvidenceTheOpenApiDocumentDescribes()
    {
        AudioFixtures.RequireFfmpeg();
        var ct = TestContext.Current.CancellationToken;
        await using var f = await ServerFixture.StartAsync();
        var wav = f.Dir.Combine("song.wav");
        AudioFixtures.WriteWav(wav, AudioFixtures.Music(seed: 61, seconds: 25));
        using var created = await f.Client(f.EditorKey).PostAsync("/api/works", ServerFixture.Form(await File.ReadAllBytesAsync(wav, ct), "song.wav", ("title", "歌 Song")), ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("workId").GetString();

        var clip = f.Dir.Combine("clip.mp3");
        await AudioFixtures.ExcerptAsync(wav, clip, startSeconds: 9, seconds: 8);
        using var res = await f.Client(f.ViewerKey).PostAsync("/api/match", ServerFixture.Form(await File.ReadAllBytesAsync(clip, ct), "clip.mp3"), ct);

        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var best = (await res.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("matches")[0];
        Assert.Equal(id, best.GetProperty("workId").GetString());
        Assert.Equal("audio", best.GetProperty("kind").GetString());
        Assert.Equal("partial", best.GetProperty("grade").GetString());
        var evidence = best.GetProperty("evidence");
        var offset = evidence.GetProperty("originalStart").GetDouble() - evidence.GetProperty("queryStart").GetDouble();
        Assert.InRange(offset, 9 - 0.2, 9 + 0.2);
        Assert.InRange(evidence.GetProperty("speed").GetDouble(), 0.99, 1.01);
        Assert.InRange(evidence.GetProperty("pitchSemitones").GetDouble(), -0.2, 0.2);
        Assert.True(evidence.GetProperty("matchedHashes").GetInt32() > 0);
        Assert.True(evidence.GetProperty("duration").GetDouble() > 4);

        // Every audio field the API returns is in the published schema, timeline entries included.
        var schemas = (await f.Client(f.ViewerKey).GetFromJsonAsync<JsonElement>("/openapi/v1.json", ct)).GetProperty("components").GetProperty("schemas");
        var described = schemas.GetProperty("MatchEvidence").GetProperty("properties");
        foreach (var field in evidence.EnumerateObject())
        {
            Assert.True(described.TryGetProperty(field.Name, out _), $"MatchEvidence.{field.Name} is missing from the OpenAPI document");
        }

        Assert.True(described.TryGetProperty("segments", out _));
        var segment = schemas.GetProperty("AudioSegmentEvidence").GetProperty("properties");
        Assert.All(["queryStart", "queryEnd", "originalStart", "originalEnd", "speed", "pitch", "pitchSemitones", "score"], name => Assert.True(segment.TryGetProperty(name, out _), name));
    }

    [Fact]
    public async Task Match_corruptAudio_is422WithTheReason()
    {
        AudioFixtures.RequireFfmpeg();
        var ct = TestContext.Current.CancellationToken;
        await using var f = await ServerFixture.StartAsync();
        var junk = new byte[8000];
        new Random(3).NextBytes(junk);

        using var res = await f.Client(f.ViewerKey).PostAsync("/api/match", ServerFixture.Form([.. "ID3"u8, 4, 0, 0, 0, 0, 0, 0, .. junk], "broken.mp3"), ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
        Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
        Assert.Contains("audio", (await res.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }
}
