namespace Atelier.Core;

/// <summary>
/// A person or organisation credited on a work. <see cref="ShareBasisPoints"/> is the royalty share in
/// basis points (1/100 of a percent); when any contributor of a work has a share, all shares must add
/// up to exactly <see cref="Contributors.FullShare"/>.
/// </summary>
public sealed record Contributor(string Name, string Role, int? ShareBasisPoints = null);

public static class Contributors
{
    /// <summary>100% in basis points.</summary>
    public const int FullShare = 10_000;

    /// <summary>Checks names, roles and shares. Returns null when valid, else the reason.</summary>
    public static string? Validate(IReadOnlyList<Contributor> contributors)
    {
        ArgumentNullException.ThrowIfNull(contributors);
        var withShare = 0;
        long total = 0;
        foreach (var c in contributors)
        {
            if (string.IsNullOrWhiteSpace(c.Name))
            {
                return "a contributor needs a name";
            }

            if (c.Name.Length > 400 || (c.Role?.Length ?? 0) > 100)
            {
                return "a contributor's name or role is too long";
            }

            if (string.IsNullOrWhiteSpace(c.Role))
            {
                return $"contributor '{c.Name}' needs a role";
            }

            if (c.ShareBasisPoints is { } share)
            {
                if (share is < 0 or > FullShare)
                {
                    return $"contributor '{c.Name}' has a share of {share} basis points; shares lie between 0 and {FullShare}";
                }

                withShare++;
                total += share;
            }
        }

        if (withShare > 0 && withShare != contributors.Count)
        {
            return "either every contributor has a share or none has";
        }

        if (withShare > 0 && total != FullShare)
        {
            return $"contributor shares add up to {total} basis points; they must add up to {FullShare}";
        }

        return null;
    }
}
