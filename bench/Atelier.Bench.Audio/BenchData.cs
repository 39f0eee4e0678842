namespace Atelier.Bench.Audio;

/// <summary>Where the dev corpus is: ../shared/data/audio/dev beside the repository, or under ATELIER_SHARED.</summary>
public static class BenchData
{
    /// <summary>The dev corpus folder (holding MANIFEST.tsv).</summary>
    public static string DevDirectory
    {
        get
        {
            var dev = Path.Combine(SharedRoot(), "data", "audio", "dev");
            return File.Exists(Path.Combine(dev, "MANIFEST.tsv"))
                ? dev
                : throw new DirectoryNotFoundException($"no audio dev corpus at {dev}; set ATELIER_SHARED to the shared data folder");
        }
    }

    private static string SharedRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable("ATELIER_SHARED");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "global.json")))
        {
            dir = dir.Parent;
        }

        return dir is null
            ? throw new DirectoryNotFoundException("cannot find the repository root (global.json); set ATELIER_SHARED")
            : Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
    }
}
