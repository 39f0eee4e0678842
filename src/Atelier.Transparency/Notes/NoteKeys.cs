// Verifier and signer keys of C2SP signed-note ("Signatures", "Ed25519 signatures") in the text encoding of
// Go's golang.org/x/mod/sumdb/note: "<name>+<hex key ID>+base64(0x01 ‖ key)", the signer key prefixed
// with "PRIVATE+KEY+" and holding the 32-byte Ed25519 seed.
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Atelier.Transparency.Notes;

/// <summary>Shared rules for note key names and key IDs.</summary>
public static class NoteKeys
{
    /// <summary>The signature type byte of Ed25519 note signatures.</summary>
    public const byte Ed25519Type = 0x01;

    internal const int Ed25519KeyLength = 32;
    internal const int Ed25519SignatureLength = 64;
    private const int MaxNameLength = 256;
    private const string PrivatePrefix = "PRIVATE+KEY+";

    /// <summary>
    /// A valid key name: non-empty, at most 256 UTF-16 units, well-formed Unicode, no Unicode space and no '+'.
    /// </summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || name.Contains('+', StringComparison.Ordinal))
        {
            return false;
        }

        var index = 0;
        while (index < name.Length)
        {
            if (Rune.DecodeFromUtf16(name.AsSpan(index), out var rune, out var used) != System.Buffers.OperationStatus.Done
                || Rune.IsWhiteSpace(rune) || Rune.IsControl(rune))
            {
                return false;
            }

            index += used;
        }

        return true;
    }

    /// <summary>The key ID: the first four bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ type ‖ public key).</summary>
    public static uint KeyId(string name, byte type, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(name);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = 0x0A;
        input[nameBytes.Length + 1] = type;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(input, digest);
        return BinaryPrimitives.ReadUInt32BigEndian(digest);
    }

    /// <summary>
    /// Creates a fresh Ed25519 key pair for <paramref name="name"/> and returns the private signer key
    /// string and the public verifier key string. The signer key is a secret: store it with mode 0600
    /// (see <see cref="LogKeyFile"/>).
    /// </summary>
    public static (string SignerKey, string VerifierKey) Generate(string name)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException("a key name must be non-empty and hold no spaces or '+'", nameof(name));
        }

        var creation = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        using var key = Key.Create(SignatureAlgorithm.Ed25519, creation);
        var seed = key.Export(KeyBlobFormat.RawPrivateKey);
        try
        {
            var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
            var verifier = NoteVerifier.FromEd25519PublicKey(name, publicKey);
            var signerKey = PrivatePrefix + name + "+" + verifier.KeyId.ToString("x8", CultureInfo.InvariantCulture) + "+" + Convert.ToBase64String([Ed25519Type, .. seed]);
            return (signerKey, verifier.KeyString);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// Splits "name+hex+base64" into its parts, checking the name, the 8 hex digits and the base64 (strictly:
    /// no whitespace). The key bytes come back with their type byte.
    /// </summary>
    internal static bool TrySplit(string text, out string name, out uint keyId, out byte[] typedKey)
    {
        name = string.Empty;
        keyId = 0;
        typedKey = [];
        var first = text.IndexOf('+', StringComparison.Ordinal);
        var second = first < 0 ? -1 : text.IndexOf('+', first + 1);
        if (first <= 0 || second < 0)
        {
            return false;
        }

        name = text[..first];
        var hex = text.AsSpan(first + 1, second - first - 1);
        return IsValidName(name)
            && hex.Length == 8
            && uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out keyId)
            && StrictBase64.TryDecode(text.AsSpan(second + 1), out typedKey)
            && typedKey.Length > 0;
    }

    internal static bool TryStripPrivatePrefix(string text, out string rest)
    {
        if (text.StartsWith(PrivatePrefix, StringComparison.Ordinal))
        {
            rest = text[PrivatePrefix.Length..];
            return true;
        }

        rest = string.Empty;
        return false;
    }
}

/// <summary>A public key that checks note signatures: one name, one key ID, one Ed25519 key.</summary>
public sealed class NoteVerifier
{
    private readonly PublicKey _publicKey;

    private NoteVerifier(string name, uint keyId, PublicKey publicKey, string keyString)
    {
        Name = name;
        KeyId = keyId;
        _publicKey = publicKey;
        KeyString = keyString;
    }

    /// <summary>The key name, for a log its origin.</summary>
    public string Name { get; }

    /// <summary>The 32-bit key ID.</summary>
    public uint KeyId { get; }

    /// <summary>The verifier key string "name+hexid+base64(0x01 ‖ public key)", safe to publish.</summary>
    public string KeyString { get; }

    /// <summary>The raw 32-byte Ed25519 public key.</summary>
    public byte[] PublicKeyBytes => _publicKey.Export(KeyBlobFormat.RawPublicKey);

    /// <summary>Parses a verifier key string; throws <see cref="FormatException"/> with the reason when it is invalid.</summary>
    public static NoteVerifier Parse(string verifierKey)
    {
        ArgumentNullException.ThrowIfNull(verifierKey);
        return TryParse(verifierKey, out var verifier, out var error) ? verifier : throw new FormatException(error);
    }

    /// <summary>Parses a verifier key string, checking its key ID against the key it holds.</summary>
    public static bool TryParse(string? verifierKey, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NoteVerifier? verifier, out string error)
    {
        verifier = null;
        verifierKey = verifierKey?.Trim();
        if (string.IsNullOrEmpty(verifierKey) || verifierKey.Length > 1024
            || !NoteKeys.TrySplit(verifierKey, out var name, out var keyId, out var typedKey))
        {
            error = "malformed verifier key: expected name+<8 hex digits>+<base64 key>";
            return false;
        }

        if (NoteKeys.KeyId(name, typedKey[0], typedKey.AsSpan(1)) != keyId)
        {
            error = "the verifier key's ID does not match its name and key";
            return false;
        }

        if (typedKey[0] != NoteKeys.Ed25519Type)
        {
            error = $"unsupported verifier key type 0x{typedKey[0]:x2}; only Ed25519 (0x01) is supported";
            return false;
        }

        if (typedKey.Length != 1 + NoteKeys.Ed25519KeyLength
            || !PublicKey.TryImport(SignatureAlgorithm.Ed25519, typedKey.AsSpan(1), KeyBlobFormat.RawPublicKey, out var publicKey))
        {
            error = "the verifier key does not hold a 32-byte Ed25519 public key";
            return false;
        }

        verifier = new NoteVerifier(name, keyId, publicKey!, Canonical(name, keyId, typedKey));
        error = string.Empty;
        return true;
    }

    /// <summary>The verifier for an Ed25519 public key under <paramref name="name"/>.</summary>
    public static NoteVerifier FromEd25519PublicKey(string name, ReadOnlySpan<byte> publicKey)
    {
        if (!NoteKeys.IsValidName(name))
        {
            throw new ArgumentException("a key name must be non-empty and hold no spaces or '+'", nameof(name));
        }

        if (publicKey.Length != NoteKeys.Ed25519KeyLength
            || !PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key))
        {
            throw new ArgumentException("an Ed25519 public key is 32 bytes", nameof(publicKey));
        }

        byte[] typedKey = [NoteKeys.Ed25519Type, .. publicKey];
        var keyId = NoteKeys.KeyId(name, NoteKeys.Ed25519Type, publicKey);
        return new NoteVerifier(name, keyId, key!, Canonical(name, keyId, typedKey));
    }

    /// <summary>True when <paramref name="signature"/> (without its 4-byte key ID) signs <paramref name="message"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
        => signature.Length == NoteKeys.Ed25519SignatureLength && SignatureAlgorithm.Ed25519.Verify(_publicKey, message, signature);

    /// <inheritdoc/>
    public override string ToString() => KeyString;

    private static string Canonical(string name, uint keyId, byte[] typedKey)
        => name + "+" + keyId.ToString("x8", CultureInfo.InvariantCulture) + "+" + Convert.ToBase64String(typedKey);
}

/// <summary>
/// A private key that signs notes. Holds the key in libsodium-managed memory; never prints it.
/// </summary>
public sealed class NoteSigner : IDisposable
{
    private readonly Key _key;

    private NoteSigner(Key key, NoteVerifier verifier)
    {
        _key = key;
        Verifier = verifier;
    }

    /// <summary>The key name.</summary>
    public string Name => Verifier.Name;

    /// <summary>The 32-bit key ID.</summary>
    public uint KeyId => Verifier.KeyId;

    /// <summary>The matching public verifier.</summary>
    public NoteVerifier Verifier { get; }

    /// <summary>
    /// Parses a signer key string "PRIVATE+KEY+name+hexid+base64(0x01 ‖ seed)", checking that the key ID
    /// matches the public key derived from the seed.
    /// </summary>
    /// <exception cref="FormatException">when the key is malformed; the message never contains key material.</exception>
    public static NoteSigner Parse(string signerKey)
    {
        ArgumentNullException.ThrowIfNull(signerKey);
        signerKey = signerKey.Trim();
        if (signerKey.Length > 1024 || !NoteKeys.TryStripPrivatePrefix(signerKey, out var rest)
            || !NoteKeys.TrySplit(rest, out var name, out var keyId, out var typedKey))
        {
            throw new FormatException("malformed signer key: expected PRIVATE+KEY+name+<8 hex digits>+<base64 key>");
        }

        try
        {
            if (typedKey[0] != NoteKeys.Ed25519Type)
            {
                throw new FormatException($"unsupported signer key type 0x{typedKey[0]:x2}; only Ed25519 (0x01) is supported");
            }

            if (typedKey.Length != 1 + NoteKeys.Ed25519KeyLength)
            {
                throw new FormatException("the signer key does not hold a 32-byte Ed25519 seed");
            }

            var key = Key.Import(SignatureAlgorithm.Ed25519, typedKey.AsSpan(1), KeyBlobFormat.RawPrivateKey);
            var verifier = NoteVerifier.FromEd25519PublicKey(name, key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
            if (verifier.KeyId != keyId)
            {
                key.Dispose();
                throw new FormatException("the signer key's ID does not match its name and public key");
            }

            return new NoteSigner(key, verifier);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(typedKey);
        }
    }

    /// <summary>The 64-byte Ed25519 signature of <paramref name="message"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(_key, message);

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();

    /// <summary>Names the key without revealing it.</summary>
    public override string ToString() => $"NoteSigner({Verifier.KeyString}, private key redacted)";
}

/// <summary>Standard base64 (RFC 4648 §4) with no whitespace, as note lines require.</summary>
internal static class StrictBase64
{
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.IsEmpty || text.Length % 4 != 0)
        {
            return false;
        }

        foreach (var ch in text)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '+' or '/' or '='))
            {
                return false;
            }
        }

        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64Chars(text, buffer, out var written))
        {
            return false;
        }

        bytes = written == buffer.Length ? buffer : buffer[..written];
        return true;
    }
}
