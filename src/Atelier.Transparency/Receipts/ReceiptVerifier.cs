using Atelier.Core;
using Atelier.Transparency.Entries;
using Atelier.Transparency.Merkle;
using Atelier.Transparency.Notes;

namespace Atelier.Transparency.Receipts;

/// <summary>One named check of a receipt.</summary>
/// <param name="Name">The check: format, key, signature, checkpoint, entry, inclusion or content.</param>
/// <param name="Ok">True when it passed.</param>
/// <param name="Detail">What was found, in words.</param>
public sealed record VerificationCheck(string Name, bool Ok, string Detail);

/// <summary>Every check made on a receipt, and what the receipt says when it could be read.</summary>
public sealed record VerificationReport(IReadOnlyList<VerificationCheck> Checks)
{
    /// <summary>True when every check passed.</summary>
    public bool Valid => Checks.Count > 0 && Checks.All(c => c.Ok);

    /// <summary>The entry's index in the log, when the receipt could be read.</summary>
    public long? Index { get; init; }

    /// <summary>The checkpoint the proof leads to (trust it only when <see cref="Valid"/>).</summary>
    public Checkpoint? Checkpoint { get; init; }

    /// <summary>The entry (trust it only when <see cref="Valid"/>).</summary>
    public LogEntry? Entry { get; init; }

    /// <summary>The registration, when the entry is one.</summary>
    public WorkRegistration? Registration { get; init; }

    /// <summary>The check named <paramref name="name"/>, or null.</summary>
    public VerificationCheck? this[string name] => Checks.FirstOrDefault(c => c.Name == name);
}

/// <summary>
/// Checks a <c>.tlog-proof</c> receipt offline, given only the log's verifier key (and optionally the
/// content's SHA-256). Each check runs independently where it can, so a report says exactly what failed:
/// a flipped proof bit fails <c>inclusion</c>, a flipped signature bit fails <c>signature</c>.
/// </summary>
public static class ReceiptVerifier
{
    /// <summary>The check names, in report order.</summary>
    public const string Format = "format", Key = "key", Signature = "signature", CheckpointCheck = "checkpoint",
        EntryCheck = "entry", Inclusion = "inclusion", Content = "content";

    /// <summary>Verifies receipt bytes against a verifier key string.</summary>
    public static VerificationReport Verify(ReadOnlySpan<byte> receipt, string verifierKey, string? contentSha256 = null)
    {
        var checks = new List<VerificationCheck>();
        NoteVerifier.TryParse(verifierKey, out var verifier, out var keyError);
        checks.Add(verifier is null
            ? new VerificationCheck(Key, false, keyError)
            : new VerificationCheck(Key, true, $"log key {verifier.Name}+{verifier.KeyId:x8}"));
        return Run(receipt, verifier, contentSha256, checks);
    }

    /// <summary>Verifies receipt bytes against a parsed verifier.</summary>
    public static VerificationReport Verify(ReadOnlySpan<byte> receipt, NoteVerifier verifier, string? contentSha256 = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return Run(receipt, verifier, contentSha256, [new VerificationCheck(Key, true, $"log key {verifier.Name}+{verifier.KeyId:x8}")]);
    }

    private static VerificationReport Run(ReadOnlySpan<byte> bytes, NoteVerifier? verifier, string? contentSha256, List<VerificationCheck> checks)
    {
        Receipt receipt;
        try
        {
            receipt = Receipt.Parse(bytes);
            checks.Insert(0, new VerificationCheck(Format, true, $"{Receipt.Header}, index {receipt.Index}, {receipt.Proof.Count} proof hashes"));
        }
        catch (FormatException e)
        {
            checks.Insert(0, new VerificationCheck(Format, false, e.Message));
            foreach (var name in new[] { Signature, CheckpointCheck, EntryCheck, Inclusion })
            {
                checks.Add(new VerificationCheck(name, false, "not checked: the receipt could not be read"));
            }

            AddContentSkipped(checks, contentSha256, "the receipt could not be read");
            return new VerificationReport(checks);
        }

        checks.Add(CheckSignature(receipt, verifier));

        Checkpoint? checkpoint = null;
        try
        {
            checkpoint = receipt.ReadCheckpointUnverified();
            var problem = verifier is not null && checkpoint.Origin != verifier.Name
                ? $"the checkpoint is for log '{checkpoint.Origin}', not '{verifier.Name}'"
                : receipt.Index >= checkpoint.Size ? $"index {receipt.Index} is outside the checkpoint's {checkpoint.Size} entries" : null;
            checks.Add(new VerificationCheck(CheckpointCheck, problem is null, problem ?? $"log {checkpoint.Origin}, size {checkpoint.Size}, root {checkpoint.RootHash.ToBase64()}"));
        }
        catch (Exception e) when (e is FormatException or NoteException)
        {
            checks.Add(new VerificationCheck(CheckpointCheck, false, "the checkpoint is malformed: " + e.Message));
        }

        LogEntry? entry = null;
        WorkRegistration? registration = null;
        if (receipt.Extra is null)
        {
            checks.Add(new VerificationCheck(EntryCheck, false, "the receipt carries no entry (no extra line)"));
        }
        else
        {
            try
            {
                entry = LogEntry.Parse(receipt.Extra);
                registration = WorkRegistration.FromEntry(entry);
                checks.Add(new VerificationCheck(EntryCheck, true, registration is null
                    ? $"{entry.Type} v{entry.Version} entry"
                    : $"work-registration of work {registration.WorkId} at {registration.RegisteredAt:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}"));
            }
            catch (FormatException e)
            {
                checks.Add(new VerificationCheck(EntryCheck, false, "the entry is malformed: " + e.Message));
            }
        }

        checks.Add(CheckInclusion(receipt, checkpoint));
        if (contentSha256 is not null)
        {
            checks.Add(CheckContent(contentSha256, entry, registration));
        }

        return new VerificationReport(checks) { Index = receipt.Index, Checkpoint = checkpoint, Entry = entry, Registration = registration };
    }

    private static VerificationCheck CheckSignature(Receipt receipt, NoteVerifier? verifier)
    {
        if (verifier is null)
        {
            return new VerificationCheck(Signature, false, "not checked: no valid log key");
        }

        try
        {
            var note = SignedNote.Open(receipt.SignedCheckpoint, verifier);
            var others = note.Unverified.Count == 0 ? string.Empty : $" ({note.Unverified.Count} other signatures ignored)";
            return new VerificationCheck(Signature, true, $"signed by {verifier.Name}+{verifier.KeyId:x8}{others}");
        }
        catch (NoteException e)
        {
            return new VerificationCheck(Signature, false, e.Error == NoteError.NotSigned
                ? $"the checkpoint carries no signature by {verifier.Name}+{verifier.KeyId:x8}"
                : e.Message);
        }
    }

    private static VerificationCheck CheckInclusion(Receipt receipt, Checkpoint? checkpoint)
    {
        if (checkpoint is null)
        {
            return new VerificationCheck(Inclusion, false, "not checked: no readable checkpoint");
        }

        if (receipt.Extra is null)
        {
            return new VerificationCheck(Inclusion, false, "not checked: no entry to hash");
        }

        try
        {
            MerkleTree.CheckInclusion(Hash.Leaf(receipt.Extra), receipt.Index, checkpoint.Size, receipt.Proof.ToArray(), checkpoint.RootHash);
            return new VerificationCheck(Inclusion, true, $"entry {receipt.Index} is in the tree of {checkpoint.Size} entries");
        }
        catch (InvalidProofException e)
        {
            return new VerificationCheck(Inclusion, false, e.Message);
        }
    }

    private static VerificationCheck CheckContent(string contentSha256, LogEntry? entry, WorkRegistration? registration)
    {
        var expected = contentSha256.Trim().ToLowerInvariant();
        if (!Sha256Hex.IsValid(expected))
        {
            return new VerificationCheck(Content, false, "the given content hash is not 64 hex digits");
        }

        if (registration is null)
        {
            return new VerificationCheck(Content, false, entry is null
                ? "not checked: no readable entry"
                : $"a {entry.Type} entry records no content hash");
        }

        return registration.ContentSha256 == expected
            ? new VerificationCheck(Content, true, $"the content's SHA-256 {expected} matches the registration")
            : new VerificationCheck(Content, false, $"the content's SHA-256 is {expected}, the registration records {registration.ContentSha256}");
    }

    private static void AddContentSkipped(List<VerificationCheck> checks, string? contentSha256, string reason)
    {
        if (contentSha256 is not null)
        {
            checks.Add(new VerificationCheck(Content, false, "not checked: " + reason));
        }
    }
}
