using System.Globalization;
using Atelier.Fingerprints.Image;
using Atelier.Testing;

namespace Atelier.Fingerprints.Tests.Image;

/// <summary>The golden image data under ../shared, in one place (STYLE.md "Golden data").</summary>
public static class ImageTestData
{
    /// <summary>ThreatExchange's pdq/data test images.</summary>
    public const string VectorsFolder = "vectors/pdq";

    /// <summary>Hash, quality and file for every vector image, from upstream's C++ pdq-photo-hasher.</summary>
    public const string ReferenceCppHashes = "vectors/pdq/reference-cpp-hashes.csv";

    /// <summary>The 80 real photographs we develop and evaluate on.</summary>
    public const string DevFolder = "data/images/dev";

    /// <summary>Upstream's hash and quality for every dev photo.</summary>
    public const string DevAnchor = "anchors/pdq/dev-pdq.csv";

    /// <summary>Upstream's eight dihedral hashes for every dev photo.</summary>
    public const string DevDihedralAnchor = "anchors/pdq/dev-pdq-dihedral.csv";

    /// <summary>The dev photos, sorted by name (image files only).</summary>
    public static IReadOnlyList<string> DevImages()
    {
        var dir = SharedData.RequireDirectory(DevFolder);
        return [.. Directory.EnumerateFiles(dir)
            .Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Rows of a reference CSV: the hash, the quality and the file column, keyed by file.</summary>
    public static IReadOnlyDictionary<string, (PdqHash Hash, int Quality)> ReadReference(string relative)
    {
        var path = SharedData.RequireDirectory(relative);
        var rows = new Dictionary<string, (PdqHash, int)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path).Skip(1).Where(l => l.Length > 0))
        {
            var parts = line.Split(',');
            rows[parts[^1]] = (PdqHash.Parse(parts[0]), int.Parse(parts[^2], CultureInfo.InvariantCulture));
        }

        return rows;
    }

    /// <summary>The dihedral anchor: eight hashes in upstream order, keyed by file.</summary>
    public static IReadOnlyDictionary<string, PdqHash[]> ReadDihedralReference()
    {
        var path = SharedData.RequireDirectory(DevDihedralAnchor);
        return File.ReadLines(path).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(','))
            .ToDictionary(p => p[^1], p => p.Take(8).Select(h => PdqHash.Parse(h)).ToArray(), StringComparer.Ordinal);
    }
}
