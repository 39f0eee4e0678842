using System.Security.Cryptography;
using System.Text;
using Atelier.Core;

namespace Atelier.Transparency.Entries;

/// <summary>
/// Deterministic digests for registration entries, so the log commits to facts without publishing them.
/// </summary>
public static class EntryDigests
{
    /// <summary>
    /// The digest of a work's contributors: SHA-256 of the canonical JSON array of
    /// <c>{"name","role"[,"shareBasisPoints"]}</c> objects, names and roles in Unicode NFC and trimmed, sorted
    /// by name, then role, then share, so the order a list comes in does not matter.
    /// With a <paramref name="salt"/> the digest is HMAC-SHA-256 keyed by it instead: names are guessable,
    /// and a secret salt kept in the catalog stops anyone from confirming a guess against the public log.
    /// </summary>
    public static string Contributors(IReadOnlyList<Contributor> contributors, ReadOnlySpan<byte> salt = default)
    {
        ArgumentNullException.ThrowIfNull(contributors);
        var items = contributors
            .Select(c => (Name: Normalize(c.Name), Role: Normalize(c.Role), c.ShareBasisPoints))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ThenBy(c => c.Role, StringComparer.Ordinal)
            .ThenBy(c => c.ShareBasisPoints ?? -1)
            .Select(c =>
            {
                var member = new Dictionary<string, object> { ["name"] = c.Name, ["role"] = c.Role };
                if (c.ShareBasisPoints is { } share)
                {
                    member["shareBasisPoints"] = share;
                }

                return (IReadOnlyDictionary<string, object>)member;
            })
            .ToList();
        return Digest(CanonicalJson.Serialize(items), salt);
    }

    /// <summary>The digest of a fingerprint blob: its lower-case hex SHA-256.</summary>
    public static string Fingerprints(ReadOnlySpan<byte> fingerprintBlob) => Convert.ToHexStringLower(SHA256.HashData(fingerprintBlob));

    /// <summary>
    /// The digest of a set of fingerprint strings: SHA-256 of the canonical JSON array of the distinct
    /// strings in ordinal order (the order and repeats of the input do not matter).
    /// </summary>
    public static string Fingerprints(IEnumerable<string> fingerprints)
    {
        ArgumentNullException.ThrowIfNull(fingerprints);
        var sorted = fingerprints.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return Digest(CanonicalJson.Serialize(sorted), default);
    }

    private static string Normalize(string? text) => (text ?? string.Empty).Trim().Normalize(NormalizationForm.FormC);

    private static string Digest(byte[] canonical, ReadOnlySpan<byte> salt)
        => Convert.ToHexStringLower(salt.IsEmpty ? SHA256.HashData(canonical) : HMACSHA256.HashData(salt, canonical));
}
