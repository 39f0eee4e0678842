using Atelier.Fingerprints.Image;
using Atelier.Testing;

namespace Atelier.Fingerprints.Tests.Image;

/// <summary>
/// Upstream's definition of a correct PDQ (pdq/README): quality ≥ 80 hashes within 10 bits of the C++
/// reference; and on our dev photos a median of at most 4 bits from upstream's hashes (issue 3).
/// Files go through the product's path: shrink on load to fit 512, then <see cref="ImageFingerprinter"/>.
/// </summary>
public sealed class PdqCompatibilityTests(ITestOutputHelper output)
{
    private static ImageFingerprint FromFile(string path)
    {
        using var image = NetVips.Image.NewFromFile(path);
        using var turned = image.Autorot();
        return EvaluationFixture.Fingerprint(turned);
    }

    private static ImageFingerprint FromFileIgnoringOrientation(string path)
    {
        using var image = NetVips.Image.NewFromFile(path);
        using var stored = image.Mutate(m => m.Remove("orientation"));
        return EvaluationFixture.Fingerprint(stored);
    }

    [Fact]
    public void Hash_reference_vectors_within_10_bits_of_cpp()
    {
        var root = SharedData.RequireDirectory(ImageTestData.VectorsFolder);
        var reference = ImageTestData.ReadReference(ImageTestData.ReferenceCppHashes);
        var checkedCount = 0;
        foreach (var (file, expected) in reference)
        {
            // Upstream's hasher ignores EXIF orientation, which we apply (issue 3); the reference hashed
            // the stored pixels, so those are what is compared here.
            var actual = file.Contains("exif-rotn", StringComparison.Ordinal) ? FromFileIgnoringOrientation(Path.Combine(root, file)) : FromFile(Path.Combine(root, file));
            var distance = actual.Hash.DistanceTo(expected.Hash);

            output.WriteLine($"{distance,3} q={actual.Quality,3} (ref {expected.Quality,3}) {file}");
            if (expected.Quality >= 80)
            {
                Assert.True(distance <= 10, $"{file}: distance {distance} to the C++ reference");
                checkedCount++;
            }
        }

        Assert.True(checkedCount >= 40, $"only {checkedCount} vectors had quality >= 80");
    }

    [Fact]
    public void Hash_dev_photos_median_within_4_bits_of_anchor()
    {
        var anchor = ImageTestData.ReadReference(ImageTestData.DevAnchor);
        var distances = new List<int>();
        foreach (var path in ImageTestData.DevImages())
        {
            var actual = FromFile(path);
            var expected = anchor[Path.GetFileName(path)];
            distances.Add(actual.Hash.DistanceTo(expected.Hash));
        }

        distances.Sort();
        var median = distances[distances.Count / 2];
        output.WriteLine($"{distances.Count} photos; median {median}, p90 {distances[distances.Count * 9 / 10]}, max {distances[^1]}");
        output.WriteLine("distribution: " + string.Join(' ', distances.GroupBy(d => d).Select(g => $"{g.Key}:{g.Count()}")));
        Assert.Equal(anchor.Count, distances.Count);
        Assert.True(median <= 4, $"median distance {median}");
    }

    [Fact]
    public void HashDihedral_dev_photos_each_variant_near_anchor()
    {
        var anchor = ImageTestData.ReadDihedralReference();
        var perVariant = new List<int>[8];
        for (var t = 0; t < 8; t++)
        {
            perVariant[t] = [];
        }

        foreach (var path in ImageTestData.DevImages())
        {
            var actual = FromFile(path);
            var expected = anchor[Path.GetFileName(path)];
            for (var t = 0; t < 8; t++)
            {
                perVariant[t].Add(actual.Pdq[t].DistanceTo(expected[t]));
            }
        }

        for (var t = 0; t < 8; t++)
        {
            var d = perVariant[t].Order().ToList();
            output.WriteLine($"{((Dihedral)t).ToWire(),-16} median {d[d.Count / 2]} max {d[^1]}");
            Assert.True(d[d.Count / 2] <= 6, $"{(Dihedral)t}: median {d[d.Count / 2]} bits from upstream's dihedral hash");
        }
    }

    [Fact]
    public void HashDihedral_rotated_files_match_transformed_hash_of_original()
    {
        // Upstream's dih/ folder holds the bridge photo turned and flipped eight ways.
        var root = SharedData.RequireDirectory(ImageTestData.VectorsFolder);
        var original = FromFile(Path.Combine(root, "data/reg-test-input/dih/bridge-1-original.jpg"));
        (string File, Dihedral Transform)[] cases =
        [
            ("bridge-2-rotate-90.jpg", Dihedral.Rotate90), ("bridge-3-rotate-180.jpg", Dihedral.Rotate180),
            ("bridge-4-rotate-270.jpg", Dihedral.Rotate270), ("bridge-5-flipx.jpg", Dihedral.FlipX),
            ("bridge-6-flipy.jpg", Dihedral.FlipY), ("bridge-7-flip-plus-1.jpg", Dihedral.FlipPlus1),
            ("bridge-8-flip-minus-1.jpg", Dihedral.FlipMinus1),
        ];
        foreach (var (file, transform) in cases)
        {
            var turned = FromFile(Path.Combine(root, "data/reg-test-input/dih", file));
            var distance = turned.Hash.DistanceTo(original.Pdq[(int)transform]);
            output.WriteLine($"{file}: {distance} bits from the original's {transform.ToWire()} hash");
            Assert.True(distance <= 31, $"{file}: {distance}");
        }
    }

    [Fact]
    public void Hash_exif_orientation_is_applied_before_hashing()
    {
        // The same photo stored turned a quarter with EXIF orientation 6 ("turn 90° clockwise to view")
        // must hash like the upright file.
        var root = SharedData.RequireDirectory(ImageTestData.VectorsFolder);
        var path = Path.Combine(root, "data/bridge-mods/aaa-orig.jpg");
        var upright = FromFile(path);
        using var image = NetVips.Image.NewFromFile(path);
        using var stored = image.Rot270();
        using var tagged = stored.Mutate(m => m.Set("orientation", 6));
        var jpeg = tagged.JpegsaveBuffer(q: 95);
        using var reloaded = NetVips.Image.NewFromBuffer(jpeg);
        Assert.Equal(6, (int)reloaded.Get("orientation"));
        using var turned = reloaded.Autorot();
        var fromTagged = EvaluationFixture.Fingerprint(turned);
        Assert.True(fromTagged.Hash.DistanceTo(upright.Hash) <= 10, $"{fromTagged.Hash.DistanceTo(upright.Hash)} bits");
    }
}
