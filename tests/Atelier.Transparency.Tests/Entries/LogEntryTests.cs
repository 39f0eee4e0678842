using System.Text;
using Atelier.Core;
using Atelier.Transparency.Entries;

namespace Atelier.Transparency.Tests.Entries;

public class LogEntryTests
{
    private const string WorkIdValue = "01jd8x3k5m7n9p1q3r5s7t9v1w";
    private static readonly string Sha = new('a', 64);
    private static readonly string Fp = new('b', 64);
    private static readonly string Cd = new('c', 64);

    [Fact]
    public void WorkRegistration_encode_isCanonicalJsonWithSortedKeys()
    {
        var registration = new WorkRegistration(WorkIdValue, Sha, Fp, Cd, new DateTimeOffset(2026, 3, 4, 13, 5, 6, 789, TimeSpan.FromHours(8)).AddTicks(1234));
        var expected = "{\"contentSha256\":\"" + Sha + "\",\"contributorsDigest\":\"" + Cd + "\",\"fingerprintDigest\":\"" + Fp
            + "\",\"registeredAt\":\"2026-03-04T05:05:06.789Z\",\"type\":\"work-registration\",\"v\":1,\"workId\":\"" + WorkIdValue + "\"}";
        Assert.Equal(expected, Encoding.UTF8.GetString(registration.Encode()));
        var parsed = WorkRegistration.FromEntry(LogEntry.Parse(registration.Encode()));
        Assert.Equal(registration, parsed);
    }

    [Theory]
    [InlineData("{ \"type\":\"x\",\"v\":1}")]
    [InlineData("{\"v\":1,\"type\":\"x\"}")]
    [InlineData("{\"type\":\"\\u0078\",\"v\":1}")]
    [InlineData("{\"type\":\"x\",\"v\":1.0}")]
    [InlineData("{\"type\":\"x\",\"v\":1,\"a\":{}}")]
    [InlineData("{\"type\":\"x\",\"v\":1,\"a\":[]}")]
    [InlineData("{\"type\":\"x\",\"v\":1,\"a\":true}")]
    [InlineData("{\"type\":\"x\",\"v\":1,\"a\":null}")]
    [InlineData("{\"type\":\"x\",\"v\":0}")]
    [InlineData("{\"type\":\"x\"}")]
    [InlineData("{\"type\":\"x\",\"v\":1}x")]
    [InlineData("{\"type\":\"x\",\"v\":1,\"a\":\"1\",\"a\":\"1\"}")]
    [InlineData("[]")]
    [InlineData("")]
    public void Parse_nonCanonicalOrForeignJson_isRejected(string json)
    {
        Assert.Throws<FormatException>(() => LogEntry.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Encode_strings_followRfc8785Escaping()
    {
        var entry = new LogEntry("note", 2, new Dictionary<string, object>
        {
            ["text"] = "中文 \"q\" \\ \u0001\n\t é \U0001F600",
            ["n"] = -42L,
            ["B"] = "upper sorts first",
        });
        var json = Encoding.UTF8.GetString(entry.Encode());
        Assert.Equal("{\"B\":\"upper sorts first\",\"n\":-42,\"text\":\"中文 \\\"q\\\" \\\\ \\u0001\\n\\t é \U0001F600\",\"type\":\"note\",\"v\":2}", json);
        var parsed = LogEntry.Parse(entry.Encode());
        Assert.Equal(entry.Fields, parsed.Fields);
        Assert.Throws<ArgumentException>(() => new LogEntry("note", 1, new Dictionary<string, object> { ["bad"] = "\ud800" }).Encode());
        Assert.Throws<ArgumentException>(() => new LogEntry("note", 1, new Dictionary<string, object> { ["big"] = 1L << 53 }).Encode());
        Assert.Throws<ArgumentException>(() => new LogEntry("note", 1, new Dictionary<string, object> { ["type"] = "x" }));
    }

    [Fact]
    public void TestLogEntry_isTheCanonicalEncodingOfItsFields()
    {
        foreach (var i in new long[] { 0, 7, 65_536, CanonicalJson.MaxSafeInteger })
        {
            Assert.Equal(new LogEntry("test-entry", 1, new Dictionary<string, object> { ["n"] = i }).Encode(), TestLog.Entry(i));
        }
    }

    [Fact]
    public void FromEntry_otherTypes_areLeftToTheirReaders()
    {
        var licence = new LogEntry("licence-signature", 1, new Dictionary<string, object> { ["licenceId"] = "l1" });
        Assert.Null(WorkRegistration.FromEntry(LogEntry.Parse(licence.Encode())));
        var broken = new LogEntry(WorkRegistration.EntryType, 1, new Dictionary<string, object>
        {
            ["workId"] = WorkIdValue, ["contentSha256"] = "A" + Sha[1..], ["fingerprintDigest"] = Fp, ["contributorsDigest"] = Cd, ["registeredAt"] = "2026-03-04T05:05:06.789Z",
        });
        Assert.Throws<FormatException>(() => WorkRegistration.FromEntry(broken));
        Assert.Throws<ArgumentException>(() => new WorkRegistration("not-an-id", Sha, Fp, Cd, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Contributors_digest_ignoresOrderAndUnicodeFormButNotContent()
    {
        Contributor[] a = [new("Zoë", "composer", 6000), new("李白", "lyricist", 4000)];
        Contributor[] b = [new("李白 ", "lyricist", 4000), new("Zoe\u0308", "composer", 6000)];
        Contributor[] c = [new("Zoë", "composer", 5000), new("李白", "lyricist", 5000)];
        var digest = EntryDigests.Contributors(a);
        Assert.True(Sha256Hex.IsValid(digest));
        Assert.Equal(digest, EntryDigests.Contributors(b));
        Assert.NotEqual(digest, EntryDigests.Contributors(c));
        Assert.NotEqual(digest, EntryDigests.Contributors(a, "salt"u8));
        Assert.Equal(EntryDigests.Contributors(a, "salt"u8), EntryDigests.Contributors(b, "salt"u8));
        // The empty list has a fixed digest: SHA-256("[]").
        Assert.Equal("4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945", EntryDigests.Contributors([]));
    }

    [Fact]
    public void Fingerprints_digest_isASetDigest()
    {
        Assert.Equal(EntryDigests.Fingerprints(["pdq:ab", "text:cd", "pdq:ab"]), EntryDigests.Fingerprints(["text:cd", "pdq:ab"]));
        Assert.NotEqual(EntryDigests.Fingerprints(["pdq:ab"]), EntryDigests.Fingerprints(["pdq:ac"]));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", EntryDigests.Fingerprints("abc"u8));
    }
}
