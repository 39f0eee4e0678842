using System.Text;
using Atelier.Core;
using Atelier.Transparency.Entries;
using Atelier.Transparency.Notes;
using Atelier.Transparency.Receipts;

namespace Atelier.Transparency.Tests.Receipts;

public class ReceiptVerifierTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;
    private static readonly string ContentSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("the work"u8));

    [Fact]
    public async Task Verify_freshReceipt_passesEveryCheck()
    {
        using var log = new TestLog();
        var receipt = await RegisterAsync(log);
        var report = ReceiptVerifier.Verify(receipt.Format(), log.Signer.Verifier.KeyString, ContentSha.ToUpperInvariant());
        Assert.True(report.Valid);
        Assert.Equal(["format", "key", "signature", "checkpoint", "entry", "inclusion", "content"], report.Checks.Select(c => c.Name));
        Assert.Equal(WorkIdValue, report.Registration!.WorkId);
        Assert.Equal(37, report.Index);
        Assert.Equal(receipt.Format(), Receipt.Parse(receipt.Format()).Format());
    }

    [Fact]
    public async Task Format_matchesTheTlogProofLayout()
    {
        using var log = new TestLog();
        var receipt = await RegisterAsync(log);
        var text = Encoding.UTF8.GetString(receipt.Format());
        var lines = text.Split('\n');
        Assert.Equal("c2sp.org/tlog-proof@v1", lines[0]);
        Assert.Equal("extra " + Convert.ToBase64String(receipt.Extra!), lines[1]);
        Assert.Equal("index 37", lines[2]);
        Assert.Equal(receipt.Proof.Select(h => h.ToBase64()), lines[3..(3 + receipt.Proof.Count)]);
        Assert.Equal(string.Empty, lines[3 + receipt.Proof.Count]);
        Assert.EndsWith(Encoding.UTF8.GetString(receipt.SignedCheckpoint), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_anyFlippedProofBit_failsInclusionOnly()
    {
        using var log = new TestLog();
        var receipt = await RegisterAsync(log);
        Assert.True(receipt.Proof.Count >= 8);
        // Every bit of the first hash, and one bit of every byte (rotating) of the others.
        var flips = Enumerable.Range(0, 256).Select(bit => (Hash: 0, Bit: bit))
            .Concat(Enumerable.Range(1, receipt.Proof.Count - 1).SelectMany(h => Enumerable.Range(0, 32).Select(b => (Hash: h, Bit: (b * 8) + ((b + h) % 8)))));
        foreach (var (h, bit) in flips)
        {
            var bytes = receipt.Proof[h].ToArray();
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            var proof = receipt.Proof.ToArray();
            proof[h] = Transparency.Merkle.Hash.FromBytes(bytes);
            var report = ReceiptVerifier.Verify(new Receipt(receipt.Index, proof, receipt.SignedCheckpoint, receipt.Extra).Format(), log.Signer.Verifier);
            Assert.Equal(["inclusion"], report.Checks.Where(c => !c.Ok).Select(c => c.Name));
        }
    }

    [Fact]
    public async Task Verify_anyFlippedSignatureBit_failsSignatureOnly()
    {
        using var log = new TestLog();
        var receipt = await RegisterAsync(log);
        var note = Encoding.UTF8.GetString(receipt.SignedCheckpoint);
        var split = note.LastIndexOf("— ", StringComparison.Ordinal);
        var prefix = note[..split] + "— " + TestLog.Origin + " ";
        var signature = Convert.FromBase64String(note[prefix.Length..].TrimEnd('\n'));
        for (var bit = 0; bit < signature.Length * 8; bit++)
        {
            var flipped = signature.ToArray();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            var damaged = Encoding.UTF8.GetBytes(prefix + Convert.ToBase64String(flipped) + "\n");
            var report = ReceiptVerifier.Verify(new Receipt(receipt.Index, receipt.Proof, damaged, receipt.Extra).Format(), log.Signer.Verifier);
            Assert.Equal(["signature"], report.Checks.Where(c => !c.Ok).Select(c => c.Name));
        }
    }

    [Fact]
    public async Task Verify_otherKey_failsSignature()
    {
        using var log = new TestLog();
        var receipt = await RegisterAsync(log);
        var (_, otherKey) = NoteKeys.Generate(TestLog.Origin);
        var report = ReceiptVerifier.Verify(receipt.Format(), otherKey);
        Assert.Equal(["signature"], report.Checks.Where(c => !c.Ok).Select(c => c.Name));
        Assert.Contains("no signature by", report["signature"]!.Detail, StringComparison.Ordinal);

        var (_, otherLog) = NoteKeys.Generate("elsewhere.example/log");
        var foreign = ReceiptVerifier.Verify(receipt.Format(), otherLog);
        Assert.Equal(["signature", "checkpoint"], foreign.Checks.Where(c => !c.Ok).Select(c => c.Name));

        var garbage = ReceiptVerifier.Verify(receipt.Format(), "not a key");
        Assert.False(garbage["key"]!.Ok);
        Assert.False(garbage["signature"]!.Ok);
    }

    [Fact]
    public async Task Verify_wrongContentHash_failsContentOnly()
    {
        using var log = new TestLog();
        var receipt = await RegisterAsync(log);
        var other = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("another work"u8));
        var report = ReceiptVerifier.Verify(receipt.Format(), log.Signer.Verifier, other);
        Assert.Equal(["content"], report.Checks.Where(c => !c.Ok).Select(c => c.Name));
        Assert.False(ReceiptVerifier.Verify(receipt.Format(), log.Signer.Verifier, "xyz")["content"]!.Ok);
    }

    [Fact]
    public async Task Verify_alteredEntry_failsInclusion()
    {
        using var log = new TestLog();
        var receipt = await RegisterAsync(log);
        var forged = new WorkRegistration(WorkIdValue, new string('f', 64), new string('b', 64), new string('c', 64), DateTimeOffset.UnixEpoch).Encode();
        var report = ReceiptVerifier.Verify(new Receipt(receipt.Index, receipt.Proof, receipt.SignedCheckpoint, forged).Format(), log.Signer.Verifier, new string('f', 64));
        Assert.Equal(["inclusion"], report.Checks.Where(c => !c.Ok).Select(c => c.Name));

        var moved = ReceiptVerifier.Verify(new Receipt(receipt.Index + 1, receipt.Proof, receipt.SignedCheckpoint, receipt.Extra).Format(), log.Signer.Verifier);
        Assert.False(moved["inclusion"]!.Ok);
    }

    [Theory]
    [InlineData("")]
    [InlineData("c2sp.org/tlog-proof@v2\nindex 1\n\nx\n")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 01\n\nx\n")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 1\nnot-a-hash\n\nx\n")]
    [InlineData("c2sp.org/tlog-proof@v1\nextra ***\nindex 1\n\nx\n")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 1\n\n")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 1")]
    public void Verify_malformedReceipt_failsFormatAndNothingPasses(string text)
    {
        var (_, key) = NoteKeys.Generate(TestLog.Origin);
        var report = ReceiptVerifier.Verify(Encoding.UTF8.GetBytes(text), key, ContentSha);
        Assert.False(report.Valid);
        Assert.False(report["format"]!.Ok);
        Assert.All(report.Checks.Where(c => c.Name != "key"), c => Assert.False(c.Ok));
    }

    private const string WorkIdValue = "01jd8x3k5m7n9p1q3r5s7t9v1w";

    /// <summary>A log of 37 filler entries, then one registration; its receipt against the latest checkpoint.</summary>
    private static async Task<Receipt> RegisterAsync(TestLog log)
    {
        await log.AppendAsync(0, 37);
        var registration = new WorkRegistration(WorkIdValue, ContentSha, EntryDigests.Fingerprints(["pdq:00"]),
            EntryDigests.Contributors([new Contributor("李白", "poet")]), DateTimeOffset.UtcNow);
        var result = await log.Writer.AppendAsync([registration.Encode()], Ct);
        await log.AppendAsync(38, 300);
        return await log.Reader.ProveAsync(result.FirstIndex, ct: Ct);
    }
}
