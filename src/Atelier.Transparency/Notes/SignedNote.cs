// Signed notes of C2SP signed-note ("Format", "Signatures"), following the reading rules of Go's
// golang.org/x/mod/sumdb/note (Open): UTF-8 with no control characters but newline, text split from the
// signature block at the last blank line, unknown keys ignored, a bad signature by a known key fatal.
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Atelier.Transparency.Notes;

/// <summary>One signature line of a note: key name, key ID and the base64 of (key ID ‖ signature).</summary>
public sealed record NoteSignature(string Name, uint KeyId, string Base64)
{
    /// <summary>The signature bytes after the 4-byte key ID.</summary>
    public byte[] SignatureBytes => Convert.FromBase64String(Base64)[4..];
}

/// <summary>A note split into its text and signature lines, none of them checked yet.</summary>
public sealed record Note(string Text, IReadOnlyList<NoteSignature> Signatures);

/// <summary>A note whose signatures by known keys all verified; at least one did.</summary>
public sealed record VerifiedNote(string Text, IReadOnlyList<NoteSignature> Verified, IReadOnlyList<NoteSignature> Unverified);

/// <summary>Why a note was refused.</summary>
public enum NoteError
{
    /// <summary>Not a well-formed note.</summary>
    Malformed,

    /// <summary>Larger than <see cref="SignedNote.MaxSize"/>.</summary>
    TooLarge,

    /// <summary>More than <see cref="SignedNote.MaxSignatures"/> signature lines.</summary>
    TooManySignatures,

    /// <summary>A known key's signature does not verify.</summary>
    InvalidSignature,

    /// <summary>No known key signed the note.</summary>
    NotSigned,
}

/// <summary>Raised when a note cannot be parsed or verified.</summary>
public sealed class NoteException(NoteError error, string message) : Exception(message)
{
    /// <summary>The kind of failure.</summary>
    public NoteError Error { get; } = error;
}

/// <summary>Signs, parses and verifies signed notes.</summary>
public static class SignedNote
{
    /// <summary>The largest note accepted, in bytes: far above a checkpoint with many cosignatures.</summary>
    public const int MaxSize = 64 * 1024;

    /// <summary>
    /// The most signature lines accepted (the spec asks for at least 16; Go's reader stops at 100).
    /// </summary>
    public const int MaxSignatures = 100;

    private const string SignaturePrefix = "— ";

    /// <summary>
    /// Signs <paramref name="text"/> (which must end in a newline) with each signer, in order, and returns the
    /// signed note bytes.
    /// </summary>
    public static byte[] Sign(string text, params IReadOnlyList<NoteSigner> signers)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(signers);
        if (!text.EndsWith('\n'))
        {
            throw new ArgumentException("note text must end with a newline", nameof(text));
        }

        if (signers.Count == 0)
        {
            throw new ArgumentException("a note needs at least one signer", nameof(signers));
        }

        var textBytes = Encoding.UTF8.GetBytes(text);
        CheckCharacters(textBytes);
        var builder = new StringBuilder(text.Length + (signers.Count * 120));
        builder.Append(text).Append('\n');
        var seen = new HashSet<(string, uint)>();
        foreach (var signer in signers)
        {
            if (!seen.Add((signer.Name, signer.KeyId)))
            {
                throw new ArgumentException($"key {signer.Name}+{signer.KeyId:x8} is given twice", nameof(signers));
            }

            var signature = signer.Sign(textBytes);
            var line = new byte[4 + signature.Length];
            BinaryPrimitives.WriteUInt32BigEndian(line, signer.KeyId);
            signature.CopyTo(line, 4);
            builder.Append(SignaturePrefix).Append(signer.Name).Append(' ').Append(Convert.ToBase64String(line)).Append('\n');
        }

        var note = Encoding.UTF8.GetBytes(builder.ToString());
        if (note.Length > MaxSize)
        {
            throw new ArgumentException($"the signed note would be {note.Length} bytes; notes are at most {MaxSize}", nameof(text));
        }

        return note;
    }

    /// <summary>Splits a note into text and signature lines without checking any signature.</summary>
    /// <exception cref="NoteException">when the note is malformed, too large or has too many signatures.</exception>
    public static Note Parse(ReadOnlySpan<byte> message)
    {
        if (message.Length > MaxSize)
        {
            throw new NoteException(NoteError.TooLarge, $"the note is {message.Length} bytes; notes are at most {MaxSize}");
        }

        CheckCharacters(message);
        var split = message.LastIndexOf("\n\n"u8);
        if (split < 0)
        {
            throw new NoteException(NoteError.Malformed, "the note has no blank line before its signatures");
        }

        var text = message[..(split + 1)];
        var block = message[(split + 2)..];
        if (block.IsEmpty || block[^1] != (byte)'\n')
        {
            throw new NoteException(NoteError.Malformed, "the note has no signature lines, or they do not end with a newline");
        }

        var signatures = new List<NoteSignature>();
        while (!block.IsEmpty)
        {
            var end = block.IndexOf((byte)'\n');
            var line = Encoding.UTF8.GetString(block[..end]);
            block = block[(end + 1)..];
            if (signatures.Count == MaxSignatures)
            {
                throw new NoteException(NoteError.TooManySignatures, $"the note has more than {MaxSignatures} signatures");
            }

            signatures.Add(ParseSignatureLine(line));
        }

        return new Note(Encoding.UTF8.GetString(text), signatures);
    }

    /// <summary>
    /// Parses the note and verifies every signature by a key in <paramref name="known"/>. Signatures by other
    /// keys (a different name or key ID) are listed as unverified and otherwise ignored.
    /// </summary>
    /// <exception cref="NoteException">when the note is malformed, a known key's signature fails, or no known key signed it.</exception>
    public static VerifiedNote Open(ReadOnlySpan<byte> message, params IReadOnlyList<NoteVerifier> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        var note = Parse(message);
        var byId = new Dictionary<(string, uint), NoteVerifier>();
        foreach (var verifier in known)
        {
            if (!byId.TryAdd((verifier.Name, verifier.KeyId), verifier))
            {
                throw new ArgumentException($"key {verifier.Name}+{verifier.KeyId:x8} is given twice", nameof(known));
            }
        }

        var text = message[..Encoding.UTF8.GetByteCount(note.Text)];
        var verified = new List<NoteSignature>();
        var unverified = new List<NoteSignature>();
        var seen = new HashSet<(string, uint)>();
        foreach (var signature in note.Signatures)
        {
            if (!byId.TryGetValue((signature.Name, signature.KeyId), out var verifier))
            {
                if (!unverified.Contains(signature))
                {
                    unverified.Add(signature);
                }

                continue;
            }

            // A key signs once; a repeated line by the same key adds nothing (as in Go's reader).
            if (!seen.Add((signature.Name, signature.KeyId)))
            {
                continue;
            }

            if (!verifier.Verify(text, signature.SignatureBytes))
            {
                throw new NoteException(NoteError.InvalidSignature, $"invalid signature for key {signature.Name}+{signature.KeyId:x8}");
            }

            verified.Add(signature);
        }

        if (verified.Count == 0)
        {
            throw new NoteException(NoteError.NotSigned, "no known key signed the note");
        }

        return new VerifiedNote(note.Text, verified, unverified);
    }

    private static NoteSignature ParseSignatureLine(string line)
    {
        if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal))
        {
            throw new NoteException(NoteError.Malformed, "a signature line does not start with an em dash and a space");
        }

        var body = line[SignaturePrefix.Length..];
        var space = body.IndexOf(' ', StringComparison.Ordinal);
        var name = space < 0 ? body : body[..space];
        var base64 = space < 0 ? string.Empty : body[(space + 1)..];
        if (!NoteKeys.IsValidName(name) || !StrictBase64.TryDecode(base64, out var raw) || raw.Length < 5)
        {
            throw new NoteException(NoteError.Malformed, "a signature line is malformed");
        }

        return new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(raw), base64);
    }

    private static void CheckCharacters(ReadOnlySpan<byte> message)
    {
        if (!Utf8.IsValid(message))
        {
            throw new NoteException(NoteError.Malformed, "the note is not valid UTF-8");
        }

        foreach (var b in message)
        {
            if (b < 0x20 && b != (byte)'\n')
            {
                throw new NoteException(NoteError.Malformed, "the note holds a control character other than newline");
            }
        }
    }
}
