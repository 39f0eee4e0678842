using Atelier.Fingerprints.Image;
using Atelier.Testing;

namespace Atelier.Fingerprints.Tests.Image;

/// <summary>Upstream's definition of a correct PDQ (pdq/README): quality ≥ 80 hashes within 10 bits of the C++ reference.</summary>
public sealed class PdqCompatibilityTests(ITestOutputHelper output)
{
    private const int DecodeSide = 512;

    [Fact]
    public void Hash_reference_vectors_within_10_bits_of_cpp()
    {
        var root = SharedData.RequireDirectory(ImageTestData.VectorsFolder);
        var reference = ImageTestData.ReadReference(ImageTestData.ReferenceCppHashes);
        var checkedCount = 0;
        foreach (var (file, expected) in reference)
        {
            var decoded = VipsDecoder.Load(Path.Combine(root, file), DecodeSide);
            var actual = PdqHasher.Hash(decoded.Pixels, decoded.Width, decoded.Height, decoded.Format);
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
            var decoded = VipsDecoder.Load(path, DecodeSide);
            var actual = PdqHasher.Hash(decoded.Pixels, decoded.Width, decoded.Height, decoded.Format);
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
}
