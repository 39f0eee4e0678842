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
}
