using NetVips;

namespace Atelier.Media.Images;

/// <summary>Process-wide libvips settings, applied once before the first image operation.</summary>
internal static class VipsRuntime
{
    private static readonly Lazy<bool> Initialized = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The libvips loader classes allowed per format; every other loader is blocked. Ultra HDR JPEGs (with a
    /// gain map) go through the uhdr loader and are still JPEGs.
    /// </summary>
    private static readonly Dictionary<ImageFormat, string[]> LoaderClasses = new()
    {
        [ImageFormat.Jpeg] = ["VipsForeignLoadJpeg", "VipsForeignLoadUhdr"],
        [ImageFormat.Png] = ["VipsForeignLoadPng"],
        [ImageFormat.Gif] = ["VipsForeignLoadNsgif"],
        [ImageFormat.WebP] = ["VipsForeignLoadWebp"],
        [ImageFormat.Tiff] = ["VipsForeignLoadTiff"],
        [ImageFormat.Heic] = ["VipsForeignLoadHeif"],
        [ImageFormat.Avif] = ["VipsForeignLoadHeif"],
    };

    public static void EnsureInitialized() => _ = Initialized.Value;

    /// <summary>
    /// Whether <paramref name="loader"/>, a class name from <see cref="Image.FindLoad(string)"/> such as
    /// "VipsForeignLoadJpegFile", is one of <paramref name="format"/>'s loaders.
    /// </summary>
    public static bool IsExpectedLoader(ImageFormat format, string loader) =>
        LoaderClasses.TryGetValue(format, out var classes) && classes.Any(name => loader.StartsWith(name, StringComparison.Ordinal));

    private static bool Initialize()
    {
        // The operation cache keys on file names: with it on, a staging path reused for a new upload could
        // return the previous file's pixels, and every cached op pins memory and file handles. Each file is
        // decoded once, so caching buys nothing.
        Cache.Max = 0;
        Cache.MaxFiles = 0;
        Cache.MaxMem = 0;

        // Imports already run files in parallel; per-image worker threads would multiply with that on small
        // machines and add per-thread buffers to peak memory. Our decodes are 256 px thumbnails, so one
        // worker per pipeline is enough.
        global::NetVips.NetVips.Concurrency = 1;

        // Defence in depth behind our own signature check: untrusted loaders (those not fuzzed for hostile
        // input) are off, and so is every loader other than the formats we accept (no SVG, CSV, matrix,
        // raw or .vips files, whose loaders read other files or allocate on the header's word).
        global::NetVips.NetVips.BlockUntrusted = true;
        Operation.Block("VipsForeignLoad", true);
        foreach (var loader in LoaderClasses.Values.SelectMany(names => names).Distinct())
        {
            Operation.Block(loader, false);
        }

        // libvips prints decoder warnings ("premature end of JPEG image") to stderr; failures reach callers as
        // exceptions through fail_on, so the warnings are only noise in a server's output.
        Log.SetLogHandler("VIPS", Enums.LogLevelFlags.Warning, static (_, _, _) => { });
        return true;
    }
}
