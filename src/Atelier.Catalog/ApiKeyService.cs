using System.Security.Cryptography;
using System.Text;
using Atelier.Core;

namespace Atelier.Catalog;

/// <summary>A newly created key: <see cref="Secret"/> is shown once and never stored.</summary>
public sealed record CreatedApiKey(ApiKey Key, string Secret);

/// <summary>
/// API keys: 32 random bytes, shown once as <c>atk_&lt;id&gt;_&lt;secret&gt;</c>; only the SHA-256 of the whole
/// string is stored. A fast hash is right here (unlike passwords) because the secret has 256 bits of
/// entropy: there is nothing to brute-force.
/// </summary>
public sealed class ApiKeyService(ICatalogStore catalog, TimeProvider clock)
{
    private const string Prefix = "atk_";

    public async Task<CreatedApiKey> CreateAsync(Role role, string? name, CancellationToken ct = default)
    {
        var id = Base32(RandomNumberGenerator.GetBytes(5));
        var secret = $"{Prefix}{id}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        var key = new ApiKey
        {
            Id = id,
            Name = string.IsNullOrWhiteSpace(name) ? role.ToWire() : name.Trim(),
            Role = role,
            SecretHash = Hash(secret),
            CreatedAt = clock.GetUtcNow(),
        };
        await catalog.AddApiKeyAsync(key, ct).ConfigureAwait(false);
        return new CreatedApiKey(key, secret);
    }

    /// <summary>The live key for this secret; null when unknown, malformed or revoked.</summary>
    public async Task<ApiKey?> AuthenticateAsync(string? secret, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 200 || !secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var key = await catalog.FindApiKeyBySecretHashAsync(Hash(secret), ct).ConfigureAwait(false);
        return key is { RevokedAt: null } ? key : null;
    }

    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken ct = default) => catalog.ListApiKeysAsync(ct);

    public Task<bool> RevokeAsync(string id, CancellationToken ct = default) => catalog.RevokeApiKeyAsync(id, clock.GetUtcNow(), ct);

    /// <summary>True when at least one unrevoked owner key exists.</summary>
    public async Task<bool> HasLiveOwnerAsync(CancellationToken ct = default) =>
        (await catalog.ListApiKeysAsync(ct).ConfigureAwait(false)).Any(k => k.Role == Role.Owner && k.RevokedAt is null);

    internal static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Base32(byte[] bytes)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var sb = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            sb.Append(alphabet[(buffer << (5 - bits)) & 31]);
        }

        return sb.ToString();
    }
}
