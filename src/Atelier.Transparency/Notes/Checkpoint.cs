// Checkpoint note text of C2SP tlog-checkpoint ("Note text"): origin, decimal tree size without leading
// zeros, base64 root hash, then optional non-empty extension lines, each ending in a newline.
using System.Globalization;
using System.Text;
using Atelier.Transparency.Merkle;

namespace Atelier.Transparency.Notes;

/// <summary>A log's tree head: which log, how many entries, and the root hash over them.</summary>
public sealed record Checkpoint
{
    /// <summary>A checkpoint; <paramref name="extensions"/> are optional extra lines.</summary>
    public Checkpoint(string origin, long size, Hash rootHash, IReadOnlyList<string>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (origin.Length == 0 || origin.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("a checkpoint origin is one non-empty line", nameof(origin));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(size);
        foreach (var line in extensions ?? [])
        {
            if (string.IsNullOrEmpty(line) || line.Contains('\n', StringComparison.Ordinal))
            {
                throw new ArgumentException("checkpoint extension lines are single non-empty lines", nameof(extensions));
            }
        }

        Origin = origin;
        Size = size;
        RootHash = rootHash;
        Extensions = extensions ?? [];
    }

    /// <summary>The log's identity, for example <c>atelier.example/log</c>.</summary>
    public string Origin { get; }

    /// <summary>The number of entries in the tree.</summary>
    public long Size { get; }

    /// <summary>The RFC 6962 root hash of the tree.</summary>
    public Hash RootHash { get; }

    /// <summary>Extra lines after the root; empty for Atelier's own checkpoints.</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>The note text, ending in a newline.</summary>
    public string Format()
    {
        var builder = new StringBuilder();
        builder.Append(Origin).Append('\n')
            .Append(Size.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(RootHash.ToBase64()).Append('\n');
        foreach (var line in Extensions)
        {
            builder.Append(line).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>Parses checkpoint note text; throws <see cref="FormatException"/> with the reason otherwise.</summary>
    public static Checkpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('\n'))
        {
            throw new FormatException("checkpoint text must end with a newline");
        }

        var lines = text[..^1].Split('\n');
        if (lines.Length < 3)
        {
            throw new FormatException("a checkpoint has at least three lines: origin, size and root hash");
        }

        if (lines[0].Length == 0)
        {
            throw new FormatException("the checkpoint origin is empty");
        }

        var sizeText = lines[1];
        if (sizeText.Length is 0 or > 19 || (sizeText.Length > 1 && sizeText[0] == '0')
            || !sizeText.All(char.IsAsciiDigit)
            || !long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw new FormatException("the checkpoint size is not a decimal number without leading zeros");
        }

        if (!Hash.TryParseBase64(lines[2], out var root))
        {
            throw new FormatException("the checkpoint root is not the base64 of a 32-byte hash");
        }

        var extensions = lines[3..];
        if (extensions.Any(line => line.Length == 0))
        {
            throw new FormatException("a checkpoint extension line is empty");
        }

        return new Checkpoint(lines[0], size, root, extensions);
    }

    /// <summary>Signs the checkpoint text with <paramref name="signer"/>: the bytes a log publishes.</summary>
    public byte[] Sign(NoteSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return SignedNote.Sign(Format(), signer);
    }

    /// <summary>
    /// Verifies a signed checkpoint against <paramref name="verifier"/> and parses it. The origin must equal
    /// the key name, so a key cannot vouch for another log.
    /// </summary>
    /// <exception cref="NoteException">when the signature does not verify.</exception>
    /// <exception cref="FormatException">when the text is not a checkpoint of the key's log.</exception>
    public static Checkpoint Open(ReadOnlySpan<byte> signedCheckpoint, NoteVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        var note = SignedNote.Open(signedCheckpoint, verifier);
        var checkpoint = Parse(note.Text);
        if (checkpoint.Origin != verifier.Name)
        {
            throw new FormatException($"the checkpoint is for log '{checkpoint.Origin}', not '{verifier.Name}'");
        }

        return checkpoint;
    }

    /// <inheritdoc/>
    public bool Equals(Checkpoint? other)
        => other is not null && Origin == other.Origin && Size == other.Size && RootHash == other.RootHash && Extensions.SequenceEqual(other.Extensions);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Origin, Size, RootHash);
}
