// Transparency log proofs of C2SP tlog-proof ("Format"): "c2sp.org/tlog-proof@v1", an optional "extra"
// line, "index N", the RFC 6962 §2.1.1 audit path one base64 hash per line, a blank line, then the signed
// checkpoint verbatim. Atelier puts the entry's own bytes in "extra", so the proof is self-contained.
using System.Globalization;
using System.Text;
using Atelier.Transparency.Merkle;
using Atelier.Transparency.Notes;

namespace Atelier.Transparency.Receipts;

/// <summary>
/// A registration receipt: proof that an entry is in the log, checkable offline with only the log's
/// verifier key. Stored as a <c>.tlog-proof</c> file.
/// </summary>
public sealed class Receipt
{
    /// <summary>The first line of every proof.</summary>
    public const string Header = "c2sp.org/tlog-proof@v1";

    /// <summary>The file extension receipts should use.</summary>
    public const string FileExtension = ".tlog-proof";

    /// <summary>The largest receipt accepted: a maximal entry in base64 plus a maximal note.</summary>
    public const int MaxSize = 256 * 1024;

    /// <summary>A receipt for entry <paramref name="index"/>.</summary>
    public Receipt(long index, IReadOnlyList<Hash> proof, byte[] signedCheckpoint, byte[]? extra)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(signedCheckpoint);
        if (proof.Count > MerkleTree.MaxProofLength)
        {
            throw new ArgumentException($"a proof has at most {MerkleTree.MaxProofLength} hashes", nameof(proof));
        }

        Index = index;
        Proof = proof;
        SignedCheckpoint = signedCheckpoint;
        Extra = extra;
    }

    /// <summary>The entry's index in the log.</summary>
    public long Index { get; }

    /// <summary>The audit path, from the leaf's sibling up.</summary>
    public IReadOnlyList<Hash> Proof { get; }

    /// <summary>The signed checkpoint note the proof leads to.</summary>
    public byte[] SignedCheckpoint { get; }

    /// <summary>The entry's bytes (unauthenticated until the inclusion proof checks).</summary>
    public byte[]? Extra { get; }

    /// <summary>The <c>.tlog-proof</c> bytes.</summary>
    public byte[] Format()
    {
        var builder = new StringBuilder();
        builder.Append(Header).Append('\n');
        if (Extra is not null)
        {
            builder.Append("extra ").Append(Convert.ToBase64String(Extra)).Append('\n');
        }

        builder.Append("index ").Append(Index.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var hash in Proof)
        {
            builder.Append(hash.ToBase64()).Append('\n');
        }

        builder.Append('\n');
        return [.. Encoding.UTF8.GetBytes(builder.ToString()), .. SignedCheckpoint];
    }

    /// <summary>Parses <c>.tlog-proof</c> bytes. The checkpoint is kept as bytes, unchecked.</summary>
    /// <exception cref="FormatException">when the bytes are not a tlog-proof.</exception>
    public static Receipt Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxSize)
        {
            throw new FormatException($"a receipt is at most {MaxSize} bytes");
        }

        var rest = bytes;
        var line = NextLine(ref rest);
        if (line != Header)
        {
            throw new FormatException($"the receipt does not start with '{Header}'");
        }

        line = NextLine(ref rest);
        byte[]? extra = null;
        if (line.StartsWith("extra ", StringComparison.Ordinal))
        {
            var encoded = line["extra ".Length..];
            extra = encoded.Length == 0 ? []
                : StrictBase64.TryDecode(encoded, out var decoded) ? decoded
                : throw new FormatException("the receipt's extra data is not base64");
            line = NextLine(ref rest);
        }

        if (!line.StartsWith("index ", StringComparison.Ordinal))
        {
            throw new FormatException("the receipt has no index line");
        }

        var indexText = line["index ".Length..];
        if (indexText.Length is 0 or > 19 || (indexText.Length > 1 && indexText[0] == '0') || !indexText.All(char.IsAsciiDigit)
            || !long.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw new FormatException("the receipt's index is not a decimal number without leading zeros");
        }

        var proof = new List<Hash>();
        while (true)
        {
            line = NextLine(ref rest);
            if (line.Length == 0)
            {
                break;
            }

            if (proof.Count == MerkleTree.MaxProofLength)
            {
                throw new FormatException($"the receipt's proof has more than {MerkleTree.MaxProofLength} hashes");
            }

            proof.Add(Hash.TryParseBase64(line, out var hash) ? hash : throw new FormatException($"proof line {proof.Count + 1} is not the base64 of a 32-byte hash"));
        }

        if (rest.IsEmpty)
        {
            throw new FormatException("the receipt has no checkpoint");
        }

        return new Receipt(index, proof, rest.ToArray(), extra);
    }

    /// <summary>Cuts the next newline-terminated line off <paramref name="rest"/>.</summary>
    private static string NextLine(ref ReadOnlySpan<byte> rest)
    {
        var end = rest.IndexOf((byte)'\n');
        if (end < 0)
        {
            throw new FormatException("the receipt ends in the middle of a line");
        }

        var line = rest[..end];
        rest = rest[(end + 1)..];
        if (!System.Text.Unicode.Utf8.IsValid(line))
        {
            throw new FormatException("the receipt is not valid UTF-8");
        }

        return Encoding.UTF8.GetString(line);
    }

    /// <summary>The checkpoint text without checking its signature (for display and for the inclusion check).</summary>
    internal Checkpoint ReadCheckpointUnverified() => Checkpoint.Parse(SignedNote.Parse(SignedCheckpoint).Text);
}
