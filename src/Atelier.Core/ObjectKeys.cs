namespace Atelier.Core;

/// <summary>Validation of <see cref="IObjectStore"/> keys, shared by every provider.</summary>
public static class ObjectKeys
{
    public const int MaxLength = 512;

    /// <summary>Throws <see cref="ArgumentException"/> unless the key is a safe relative key.</summary>
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length is 0 or > MaxLength)
        {
            throw new ArgumentException($"object key must be 1..{MaxLength} characters", nameof(key));
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                throw new ArgumentException($"object key '{key}' has an empty, '.' or '..' segment", nameof(key));
            }

            foreach (var ch in segment)
            {
                if (!(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-'))
                {
                    throw new ArgumentException($"object key '{key}' has a character outside [A-Za-z0-9._-/]", nameof(key));
                }
            }
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="prefix"/> can start a valid key:
    /// empty, or a key's leading part (it may end inside a segment or with '/').
    /// </summary>
    public static void ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0)
        {
            return;
        }

        // A prefix "a/b/" or "a/b" is valid exactly when some key extending it is: check one.
        Validate(prefix.EndsWith('/') ? prefix + "x" : prefix);
    }

    /// <summary>Whether <paramref name="key"/> passes <see cref="Validate"/>; for filtering keys found in storage.</summary>
    public static bool IsValid(string? key)
    {
        if (key is null)
        {
            return false;
        }

        try
        {
            Validate(key);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
