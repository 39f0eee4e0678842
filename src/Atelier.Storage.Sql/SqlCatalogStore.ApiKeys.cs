using System.Data.Common;
using Atelier.Core;

namespace Atelier.Storage.Sql;

public abstract partial class SqlCatalogStore
{
    private const string ApiKeyColumns = "id, name, role, secret_hash, created_at, revoked_at, last_used_at";

    /// <inheritdoc />
    public async Task AddApiKeyAsync(ApiKey key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(key.Id);
        ArgumentNullException.ThrowIfNull(key.Name);
        StoredText.Validate(key.Id, "the key id", nameof(key));
        StoredText.Validate(key.Name, "the key name", nameof(key));
        if (!Sha256Hex.IsValid(key.SecretHash))
        {
            // Never echo the value: a caller that passed the secret itself by mistake must not see it logged.
            throw new ArgumentException("an API key's SecretHash must be the 64 lower-case hex digits of the secret's SHA-256", nameof(key));
        }

        if (!Enum.IsDefined(key.Role))
        {
            throw new ArgumentException($"unknown role {(int)key.Role}", nameof(key));
        }

        try
        {
            await WithConnectionAsync(connection =>
            {
                var command = Command(connection, null, $"INSERT INTO api_keys ({ApiKeyColumns}) VALUES (@id, @name, @role, @secretHash, @createdAt, @revokedAt, @lastUsedAt)");
                AddText(command, "id", key.Id);
                AddText(command, "name", key.Name);
                AddText(command, "role", key.Role.ToWire());
                AddText(command, "secretHash", key.SecretHash);
                AddTime(command, "createdAt", key.CreatedAt);
                AddTime(command, "revokedAt", key.RevokedAt);
                AddTime(command, "lastUsedAt", key.LastUsedAt);
                return ExecuteAsync(command, ct);
            }, ct).ConfigureAwait(false);
        }
        catch (DbException e) when (Dialect.IsUniqueViolation(e))
        {
            throw new InvalidOperationException($"an API key with id '{key.Id}' or with the same secret already exists", e);
        }
    }

    /// <inheritdoc />
    public async Task<ApiKey?> FindApiKeyBySecretHashAsync(string secretHash, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(secretHash);
        if (!Sha256Hex.IsValid(secretHash))
        {
            return null;
        }

        var keys = await ReadApiKeysAsync($"SELECT {ApiKeyColumns} FROM api_keys WHERE secret_hash = @secretHash", secretHash, ct).ConfigureAwait(false);
        return keys.Count == 0 ? null : keys[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(CancellationToken ct = default) =>
        await ReadApiKeysAsync($"SELECT {ApiKeyColumns} FROM api_keys ORDER BY created_at, id", null, ct).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!StoredText.IsValid(id))
        {
            return false;
        }

        var revoked = await WithConnectionAsync(connection =>
        {
            var command = Command(connection, null, "UPDATE api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL");
            AddTime(command, "at", at);
            AddText(command, "id", id);
            return ExecuteAsync(command, ct);
        }, ct).ConfigureAwait(false);
        return revoked == 1;
    }

    private Task<List<ApiKey>> ReadApiKeysAsync(string sql, string? secretHash, CancellationToken ct) =>
        WithConnectionAsync(connection =>
        {
            var command = Command(connection, null, sql);
            if (secretHash is not null)
            {
                AddText(command, "secretHash", secretHash);
            }

            return ReadAllAsync(command, MapApiKey, ct);
        }, ct);

    private ApiKey MapApiKey(DbDataReader r)
    {
        var roleText = r.GetString(2);
        if (!Roles.TryParse(roleText, out var role))
        {
            // Guessing a role here would silently change what the key may do.
            throw new InvalidDataException($"API key '{r.GetString(0)}' has an unknown role '{roleText}' in the database");
        }

        return new ApiKey
        {
            Id = r.GetString(0),
            Name = r.GetString(1),
            Role = role,
            SecretHash = r.GetString(3),
            CreatedAt = Dialect.GetTime(r, 4),
            RevokedAt = GetNullableTime(r, 5),
            LastUsedAt = GetNullableTime(r, 6),
        };
    }
}
