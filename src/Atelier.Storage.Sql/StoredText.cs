namespace Atelier.Storage.Sql;

/// <summary>
/// Text the catalog refuses in its columns: U+0000, which PostgreSQL text cannot hold, and unpaired
/// surrogates, which are not Unicode and which SQLite would silently turn into U+FFFD. Refusing both
/// in every provider keeps the providers alike and never changes what was given.
/// </summary>
internal static class StoredText
{
    public static void Validate(string? value, string what, string paramName)
    {
        if (value is null)
        {
            return;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var ch = value[i];
            if (ch == '\0')
            {
                throw new ArgumentException($"{what} contains the character U+0000, which cannot be stored", paramName);
            }

            if (char.IsHighSurrogate(ch) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(ch))
            {
                throw new ArgumentException($"{what} contains half of a UTF-16 surrogate pair, which is not valid Unicode", paramName);
            }
        }
    }
}
