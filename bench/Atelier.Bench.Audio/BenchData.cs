using Atelier.Testing;

namespace Atelier.Bench.Audio;

/// <summary>Where the dev corpus is: ../shared/data/audio/dev beside the repository, or under ATELIER_SHARED.</summary>
public static class BenchData
{
    /// <summary>The dev corpus folder (holding MANIFEST.tsv).</summary>
    public static string DevDirectory
    {
        get
        {
            var root = SharedData.Directory ?? throw new DirectoryNotFoundException("no ../shared beside the repository; set ATELIER_SHARED to the shared data folder");
            var dev = Path.Combine(root, "data", "audio", "dev");
            return File.Exists(Path.Combine(dev, "MANIFEST.tsv"))
                ? dev
                : throw new DirectoryNotFoundException($"no audio dev corpus at {dev} (MANIFEST.tsv is missing)");
        }
    }
}
