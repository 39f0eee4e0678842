namespace Atelier.Storage.Sql;

/// <summary>
/// Text the catalog refuses in its columns: U+0000, which PostgreSQL text cannot hold, and unpaired
/// surrogates, which are not Unicode and which SQLite would silently turn into U+FFFD. Refusing both
/// in every provider keeps the providers alike and never changes what was given. Lookups by such
/// text find nothing, since nothing like it can have been stored.
/// </summary>
internal static class StoredText
{
    public static bool IsValid(string? value) => Problem(value) is null;

    public static void Validate(string? value, string what, string paramName)
    {
        if (Problem(value) is { } problem)
        {
            throw new ArgumentException($"{what} contains {problem}", paramName);
        }
    }

    private static string? Problem(string? value)
    {
        if (value is null)
        {
            return null;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var ch = value[i];
            if (ch == '\0')
            {
                return "the character U+0000, which cannot be stored";
            }

            if (char.IsHighSurrogate(ch) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(ch))
            {
                return "half of a UTF-16 surrogate pair, which is not valid Unicode";
            }
        }

        return null;
    }
}
