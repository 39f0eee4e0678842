using System.Collections.Concurrent;
using System.Diagnostics;
using Atelier.Fingerprints.Image;
using Atelier.Testing;
using NetVips;
using VipsImage = NetVips.Image;

namespace Atelier.Fingerprints.Tests.Image;

/// <summary>
/// Fingerprints of the dev photos, of the 12 required edits of each, and of unrelated photos, made once
/// per test run and shared by the evaluation tests.
/// </summary>
/// <remarks>
/// Unrelated photos: ../shared/data/images holds only the dev set, so they are derived from the
/// distinct photos in ../shared/vectors/pdq/data that are not in it: the seven labelme photos whole,
/// and 5×5 grids of non-overlapping tiles of the three large ones (bridge, the EXIF-rotation photo,
/// pen and coaster): 82 in all. Tiles of one photo share no pixels, so any match between them is as
/// false as one between two strangers, and the shared scene makes the test harder. misc-images/c.png
/// is left out: it photographs the same printed coaster as pen-and-coaster.png, and the matcher
/// rightly finds it (a partial match through the coaster's artwork).
/// </remarks>
public sealed class EvaluationFixture
{
    private const int DecodeSide = 512;

    private readonly Lazy<Data> _data = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The fingerprints (built on first use; tests skip when ../shared is absent).</summary>
    public Data Get() => _data.Value;

    private static Data Build()
    {
        var sw = Stopwatch.StartNew();
        var files = ImageTestData.DevImages();
        var originals = new ImageFingerprint[files.Count];
        var edits = new ConcurrentDictionary<(int Image, string Edit), ImageFingerprint>();
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            using var full = VipsImage.NewFromFile(files[i]);
            using var original = full.Autorot();
            originals[i] = Fingerprint(original);
            foreach (var name in ImageEdits.Names)
            {
                using var edited = ImageEdits.Apply(original, name);
                edits[(i, name)] = Fingerprint(edited);
            }
        });

        var unrelated = Unrelated();
        return new Data([.. files.Select(Path.GetFileName).Select(n => n!)], originals, edits, unrelated, sw.Elapsed);
    }

    /// <summary>What a product decode does: shrink to fit 512 on load, then fingerprint with the source size.</summary>
    public static ImageFingerprint Fingerprint(VipsImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var thumb = image.ThumbnailImage(DecodeSide, height: DecodeSide, size: Enums.Size.Down);
        var d = VipsDecoder.ToPixels(thumb);
        return ImageFingerprinter.Compute(d.Pixels, d.Width, d.Height, d.Format, image.Width, image.Height);
    }

    private static List<(string Name, ImageFingerprint Fingerprint)> Unrelated()
    {
        var root = SharedData.RequireDirectory(ImageTestData.VectorsFolder);
        var result = new List<(string, ImageFingerprint)>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "data/reg-test-input/labelme-subset"), "*.jpg").Order(StringComparer.Ordinal))
        {
            using var img = VipsImage.NewFromFile(file);
            result.Add((Path.GetFileName(file), Fingerprint(img)));
        }

        const int grid = 5;
        string[] large = ["data/bridge-mods/aaa-orig.jpg", "data/reg-test-input/exif-rotn/exif-rotn-1.jpg", "data/reg-test-input/pen-and-coaster.png"];
        foreach (var file in large)
        {
            using var raw = VipsImage.NewFromFile(Path.Combine(root, file));
            using var img = raw.Autorot();
            int tw = img.Width / grid, th = img.Height / grid;
            for (var ty = 0; ty < grid; ty++)
            {
                for (var tx = 0; tx < grid; tx++)
                {
                    using var tile = img.Crop(tx * tw, ty * th, tw, th);
                    result.Add(($"{Path.GetFileName(file)}#tile{ty}{tx}", Fingerprint(tile)));
                }
            }
        }

        return result;
    }

    /// <summary>The fingerprints of one run.</summary>
    public sealed record Data(
        IReadOnlyList<string> Names,
        IReadOnlyList<ImageFingerprint> Originals,
        IReadOnlyDictionary<(int Image, string Edit), ImageFingerprint> Edits,
        IReadOnlyList<(string Name, ImageFingerprint Fingerprint)> Unrelated,
        TimeSpan BuildTime);
}
