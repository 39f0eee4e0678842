namespace Atelier.Core;

/// <summary>What an API key may do. Owner ⊃ editor ⊃ viewer.</summary>
public enum Role
{
    Viewer = 0,
    Editor = 1,
    Owner = 2,
}

public static class Roles
{
    public static string ToWire(this Role role) => role switch
    {
        Role.Owner => "owner",
        Role.Editor => "editor",
        _ => "viewer",
    };

    public static bool TryParse(string? value, out Role role)
    {
        switch (value?.Trim().ToUpperInvariant())
        {
            case "OWNER": role = Role.Owner; return true;
            case "EDITOR": role = Role.Editor; return true;
            case "VIEWER": role = Role.Viewer; return true;
            default: role = Role.Viewer; return false;
        }
    }
}

/// <summary>
/// A stored API key. Only <see cref="SecretHash"/>, the SHA-256 of the secret, is kept; the secret is
/// shown once when the key is created. <see cref="Id"/> is public and names the key in lists and logs.
/// </summary>
public sealed record ApiKey
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required Role Role { get; init; }
    /// <summary>Lower-case hex SHA-256 of the whole secret key string.</summary>
    public required string SecretHash { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }
}
