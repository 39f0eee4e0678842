using Atelier.Core;

namespace Atelier.Catalog;

/// <summary>What the caller says about the works it imports. Title defaults to the file name.</summary>
public sealed record ImportRequest
{
    public string? Title { get; init; }
    public IReadOnlyList<Contributor> Contributors { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>Who asked (an API key id or "cli"); kept in the work's history.</summary>
    public string? Actor { get; init; }
}

public enum ImportStatus
{
    Imported,
    Duplicate,
    Failed,
}

/// <summary>
/// The result of importing one file. <see cref="WorkId"/> is the existing work for a duplicate.
/// <see cref="LogSeq"/> is the registration entry's ticket in the log queue, and <see cref="LogIndex"/> its
/// index once a signed checkpoint covers it.
/// </summary>
public sealed record ImportOutcome(string Path, ImportStatus Status, string? WorkId, string? Error, Work? Work = null, long Bytes = 0, long? LogSeq = null, long? LogIndex = null)
{
    public static ImportOutcome Failed(string path, string error) => new(path, ImportStatus.Failed, null, error);

    /// <summary>Something that went wrong after the work was stored (it is still imported).</summary>
    public string? Warning { get; init; }
}

/// <summary>Raised for a request the catalog refuses as invalid (bad shares, bad tag, ...).</summary>
public sealed class CatalogValidationException(string message) : Exception(message);

/// <summary>Limits and normalisation for user-supplied titles and tags.</summary>
public static class CatalogRules
{
    public const int MaxTitleLength = 500;
    public const int MaxTagLength = 100;
    public const int MaxTags = 64;
    public const int MaxContributors = 100;

    /// <summary>Trims, checks and de-duplicates tags (case-sensitive, order kept).</summary>
    public static IReadOnlyList<string> NormaliseTags(IEnumerable<string>? tags)
    {
        var result = new List<string>();
        foreach (var raw in tags ?? [])
        {
            var tag = raw?.Trim() ?? "";
            if (tag.Length == 0)
            {
                continue;
            }

            if (tag.Length > MaxTagLength || tag.Any(char.IsControl))
            {
                throw new CatalogValidationException($"tag '{Truncate(tag)}' is longer than {MaxTagLength} characters or holds control characters");
            }

            if (!result.Contains(tag, StringComparer.Ordinal))
            {
                result.Add(tag);
            }
        }

        return result.Count > MaxTags
            ? throw new CatalogValidationException($"a work may have at most {MaxTags} tags")
            : result;
    }

    public static string NormaliseTitle(string? title, string fallbackFileName)
    {
        var t = string.IsNullOrWhiteSpace(title) ? Path.GetFileNameWithoutExtension(fallbackFileName) : title.Trim();
        if (string.IsNullOrWhiteSpace(t))
        {
            t = fallbackFileName;
        }

        t = new string([.. t.Where(c => !char.IsControl(c))]);
        return t.Length > MaxTitleLength ? t[..MaxTitleLength] : t;
    }

    public static void ValidateContributors(IReadOnlyList<Contributor> contributors)
    {
        if (contributors.Count > MaxContributors)
        {
            throw new CatalogValidationException($"a work may have at most {MaxContributors} contributors");
        }

        var reason = Atelier.Core.Contributors.Validate(contributors);
        if (reason is not null)
        {
            throw new CatalogValidationException(reason);
        }
    }

    /// <summary>A file name safe to show and store: no folders, no control characters, bounded length.</summary>
    public static string SafeFileName(string? name)
    {
        var n = Path.GetFileName((name ?? "").Replace('\\', '/'));
        n = new string([.. n.Where(c => !char.IsControl(c))]).Trim();
        if (n.Length == 0 || n is "." or "..")
        {
            n = "upload";
        }

        return n.Length > 255 ? n[..255] : n;
    }

    private static string Truncate(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
