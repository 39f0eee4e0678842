namespace Atelier.Testing;

/// <summary>
/// Finds ../shared (real test data, vectors and anchors) beside the repository. A user's clone has no
/// ../shared: tests that need it call <see cref="RequireDirectory"/> and are reported skipped.
/// ATELIER_SHARED overrides the location.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string?> Root = new(Locate);

    /// <summary>The repository root (the folder holding global.json).</summary>
    public static string RepoRoot { get; } = LocateRepoRoot();

    /// <summary>The shared folder, or null when there is none.</summary>
    public static string? Directory => Root.Value;

    /// <summary>The absolute path of <paramref name="relative"/> under ../shared, skipping the test when absent.</summary>
    public static string RequireDirectory(string relative)
    {
        var root = Root.Value;
        if (root is null)
        {
            Xunit.Assert.Skip("../shared is not beside this clone (it holds the real test data); set ATELIER_SHARED to point at it");
        }

        var path = Path.Combine(root, relative);
        if (!System.IO.Directory.Exists(path) && !File.Exists(path))
        {
            Xunit.Assert.Skip($"../shared/{relative} is missing from the shared data folder");
        }

        return path;
    }

    private static string? Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("ATELIER_SHARED");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return System.IO.Directory.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : null;
        }

        var candidate = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
        return System.IO.Directory.Exists(Path.Combine(candidate, "data")) ? candidate : null;
    }

    private static string LocateRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "global.json")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (global.json) above " + AppContext.BaseDirectory);
    }
}
