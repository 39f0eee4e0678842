using System.Runtime.CompilerServices;

namespace Atelier.Core;

/// <summary>Checks for the lower-case hex SHA-256 strings used as content keys.</summary>
public static class Sha256Hex
{
    public const int Length = 64;

    public static bool IsValid(string? value)
    {
        if (value is null || value.Length != Length)
        {
            return false;
        }

        foreach (var ch in value)
        {
            if (ch is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="value"/> passes <see cref="IsValid"/>.</summary>
    public static void Validate(string? value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (!IsValid(value))
        {
            throw new ArgumentException($"a content key must be {Length} lower-case hex characters (a SHA-256)", paramName);
        }
    }
}
