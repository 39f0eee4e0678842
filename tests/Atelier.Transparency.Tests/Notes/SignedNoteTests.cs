using System.Text;
using Atelier.Transparency.Notes;

namespace Atelier.Transparency.Tests.Notes;

public class SignedNoteTests
{
    [Fact]
    public void Open_goNoteVector_verifiesWithItsKey()
    {
        var v = Vectors.ReadJson(Vectors.GoNote);
        var verifier = NoteVerifier.Parse(v.GetProperty("verifier_key").GetString()!);
        Assert.Equal("PeterNeumann", verifier.Name);
        Assert.Equal(0xc74f20a3u, verifier.KeyId);
        var note = SignedNote.Open(Encoding.UTF8.GetBytes(v.GetProperty("signed_note").GetString()!), verifier);
        Assert.Equal(v.GetProperty("text").GetString(), note.Text);
        Assert.Single(note.Verified);
        Assert.Empty(note.Unverified);
    }

    [Fact]
    public void Sign_goPrivateKey_reproducesTheSignedNoteByteForByte()
    {
        var v = Vectors.ReadJson(Vectors.GoNote);
        using var signer = NoteSigner.Parse(v.GetProperty("private_key").GetString()!);
        Assert.Equal(v.GetProperty("verifier_key").GetString(), signer.Verifier.KeyString);
        var signed = SignedNote.Sign(v.GetProperty("text").GetString()!, signer);
        Assert.Equal(v.GetProperty("signed_note").GetString(), Encoding.UTF8.GetString(signed));
    }

    [Fact]
    public void Open_twoSignatures_verifiesKnownAndIgnoresUnknown()
    {
        var v = Vectors.ReadJson(Vectors.GoNote);
        var peter = NoteVerifier.Parse(v.GetProperty("verifier_key").GetString()!);
        var enoch = NoteVerifier.Parse(v.GetProperty("second_key").GetProperty("verifier_key").GetString()!);
        var message = Encoding.UTF8.GetBytes(v.GetProperty("signed_note").GetString()! + v.GetProperty("second_key").GetProperty("signature_line").GetString()!);

        var both = SignedNote.Open(message, peter, enoch);
        Assert.Equal(["PeterNeumann", "EnochRoot"], both.Verified.Select(s => s.Name));

        var onlyEnoch = SignedNote.Open(message, enoch);
        Assert.Equal("EnochRoot", Assert.Single(onlyEnoch.Verified).Name);
        Assert.Equal("PeterNeumann", Assert.Single(onlyEnoch.Unverified).Name);

        // Same name, other key ID: an unknown key, ignored rather than failed.
        using var stranger = NoteSigner.Parse(NoteKeys.Generate("PeterNeumann").SignerKey);
        var error = Assert.Throws<NoteException>(() => SignedNote.Open(message, stranger.Verifier));
        Assert.Equal(NoteError.NotSigned, error.Error);
    }

    [Fact]
    public void NoteVerifier_goNegativeKeys_areRejected()
    {
        var v = Vectors.ReadJson(Vectors.GoNote);
        var keys = v.GetProperty("negative_cases").EnumerateArray()
            .Where(c => c.TryGetProperty("verifier_key", out _))
            .Select(c => c.GetProperty("verifier_key").GetString()!)
            .ToList();
        Assert.Equal(2, keys.Count);
        foreach (var key in keys)
        {
            Assert.False(NoteVerifier.TryParse(key, out _, out var reason), key);
            Assert.NotEmpty(reason);
        }
    }

    [Fact]
    public void Open_goNegativeNotes_areRejectedAsGoRejectsThem()
    {
        var v = Vectors.ReadJson(Vectors.GoNote);
        var verifier = NoteVerifier.Parse(v.GetProperty("verifier_key").GetString()!);
        var signed = v.GetProperty("signed_note").GetString()!;
        var text = v.GetProperty("text").GetString()!;
        var peterLine = signed[(text.Length + 1)..];

        // "ABCD" inserted at character 60 of the signature line.
        var damaged = text + "\n" + peterLine[..60] + "ABCD" + peterLine[60..];
        var error = Assert.Throws<NoteException>(() => SignedNote.Open(Encoding.UTF8.GetBytes(damaged), verifier));
        Assert.Equal(NoteError.InvalidSignature, error.Error);
        Assert.Equal("invalid signature for key PeterNeumann+c74f20a3", error.Message);

        var tooMany = text + "\n" + string.Concat(Enumerable.Repeat(peterLine, 101));
        Assert.Equal(NoteError.TooManySignatures, Assert.Throws<NoteException>(() => SignedNote.Open(Encoding.UTF8.GetBytes(tooMany), verifier)).Error);
        var hundred = text + "\n" + string.Concat(Enumerable.Repeat(peterLine, 100));
        Assert.Single(SignedNote.Open(Encoding.UTF8.GetBytes(hundred), verifier).Verified);
    }

    [Fact]
    public void Open_c2spSignedNoteExample_verifies()
    {
        var example = Vectors.ReadJson(Vectors.C2spExamples).GetProperty("signed_note_example");
        var verifier = NoteVerifier.Parse(example.GetProperty("verifier_key").GetString()!);
        var note = SignedNote.Open(Encoding.UTF8.GetBytes(example.GetProperty("signed_note").GetString()!), verifier);
        Assert.Equal("This is an example message.\n", note.Text);
    }

    [Fact]
    public void Checkpoint_c2spExample_parsesEvenThoughItsKeyIsUnpublished()
    {
        var text = Vectors.ReadJson(Vectors.C2spExamples).GetProperty("checkpoint_example_unverifiable_no_public_key_given").GetString()!;
        var note = SignedNote.Parse(Encoding.UTF8.GetBytes(text));
        var checkpoint = Checkpoint.Parse(note.Text);
        Assert.Equal("example.com/behind-the-sofa", checkpoint.Origin);
        Assert.Equal(20852163, checkpoint.Size);
        Assert.Equal("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", checkpoint.RootHash.ToBase64());
        Assert.Equal(note.Text, checkpoint.Format());
    }

    [Theory]
    [InlineData("log\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("log\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("log\n 1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")]
    [InlineData("log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n")]
    [InlineData("log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2\n")]
    [InlineData("\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("log\n99999999999999999999\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("log\n1\n")]
    public void Checkpoint_malformedText_isRejected(string text)
    {
        Assert.Throws<FormatException>(() => Checkpoint.Parse(text));
    }

    [Fact]
    public void Checkpoint_extensionLines_roundTrip()
    {
        var checkpoint = new Checkpoint("atelier.example/log", 5, Transparency.Merkle.Hash.Leaf("x"u8), ["ext one", "二"]);
        Assert.Equal(checkpoint, Checkpoint.Parse(checkpoint.Format()));
    }

    [Fact]
    public void Open_hostileNotes_areRejected()
    {
        using var signer = NoteSigner.Parse(NoteKeys.Generate("atelier.example/log").SignerKey);
        var good = Encoding.UTF8.GetString(SignedNote.Sign("hello\n", signer));
        Assert.Single(SignedNote.Open(Encoding.UTF8.GetBytes(good), signer.Verifier).Verified);

        string[] hostile =
        [
            good.Replace("hello", "he\tllo", StringComparison.Ordinal),
            good.Replace("\n\n", "\n", StringComparison.Ordinal),
            good.TrimEnd('\n'),
            good.Replace("— ", "-- ", StringComparison.Ordinal),
            good.Replace("atelier.example/log ", "atelier.example/log  ", StringComparison.Ordinal),
            good + "— atelier.example/log AAAA\n",
        ];
        foreach (var note in hostile)
        {
            Assert.Equal(NoteError.Malformed, Assert.Throws<NoteException>(() => SignedNote.Open(Encoding.UTF8.GetBytes(note), signer.Verifier)).Error);
        }

        var huge = new byte[SignedNote.MaxSize + 1];
        Assert.Equal(NoteError.TooLarge, Assert.Throws<NoteException>(() => SignedNote.Parse(huge)).Error);
        Assert.Equal(NoteError.Malformed, Assert.Throws<NoteException>(() => SignedNote.Parse([0xff, 0x0a, 0x0a])).Error);
    }

    [Fact]
    public void NoteSigner_keys_roundTripAndNeverPrintTheSecret()
    {
        var (signerKey, verifierKey) = NoteKeys.Generate("atelier.example/日志");
        Assert.StartsWith("PRIVATE+KEY+atelier.example/日志+", signerKey, StringComparison.Ordinal);
        using var signer = NoteSigner.Parse(signerKey);
        Assert.Equal(verifierKey, signer.Verifier.KeyString);
        Assert.DoesNotContain(signerKey.Split('+')[^1], signer.ToString(), StringComparison.Ordinal);
        Assert.Contains("redacted", signer.ToString(), StringComparison.Ordinal);

        // A key ID that does not match the seed is refused, as Go's NewSigner refuses it.
        var parts = signerKey.Split('+');
        parts[3] = parts[3] == "00000000" ? "00000001" : "00000000";
        Assert.Throws<FormatException>(() => NoteSigner.Parse(string.Join('+', parts)));
        Assert.Throws<FormatException>(() => NoteSigner.Parse(verifierKey));
        Assert.Throws<ArgumentException>(() => NoteKeys.Generate("has space"));
        Assert.Throws<ArgumentException>(() => NoteKeys.Generate("has+plus"));
    }

    [Fact]
    public void Checkpoint_goFormatTreeGolden_isReproduced()
    {
        // Go's tlog.FormatTree writes the same three lines as a tlog-checkpoint body.
        var golden = Vectors.ReadJson(Vectors.GoTlog).GetProperty("format_tree");
        var checkpoint = new Checkpoint("go.sum database tree", golden.GetProperty("N").GetInt64(), Transparency.Merkle.Hash.Leaf("hello world"u8));
        Assert.Equal(golden.GetProperty("golden").GetString(), checkpoint.Format());
        Assert.Equal(checkpoint, Checkpoint.Parse(golden.GetProperty("golden").GetString()!));
    }
}
