using Atelier.Core;
using Atelier.Fingerprints.Image;
using Atelier.Fingerprints.Text;
using Atelier.Media;
using Atelier.Media.Images;
using Atelier.Media.Text;

namespace Atelier.Catalog.Matching;

/// <summary>
/// Computes a work's fingerprint set from its decoded content (../shared/DESIGN.md "Import", step 3):
/// images get PDQ with its dihedral and frame-trimmed variants plus local features, text gets winnowed
/// passage fingerprints and a MinHash signature. Audio fingerprints arrive with their own issue.
/// </summary>
public sealed class FingerprintService(MediaOptions media)
{
    public const string ImageAlgorithm = "image/v1";
    public const string TextAlgorithm = "text/v1";

    /// <summary>PDQ squashes to 512×512 upstream; decoding at that size keeps hashes compatible and fast.</summary>
    private const int ImageDecodeSide = 512;

    /// <summary>The fingerprints of one file, by kind. Throws <see cref="MediaException"/> when it cannot be decoded.</summary>
    public async Task<QueryFingerprints> ComputeAsync(string path, string originalFileName, MediaInspection inspection, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        switch (inspection.Kind)
        {
            case MediaKind.Image:
            {
                var (width, height) = UprightSize(inspection.Metadata.Image);
                var rgb = ImageLoader.LoadRgb(path, ImageDecodeSide, applyExifOrientation: true, media);
                var fp = ImageFingerprinter.Compute(rgb.Pixels.Span, rgb.Width, rgb.Height, PixelFormat.Rgb24, width, height);
                return new QueryFingerprints(fp, null, null);
            }

            case MediaKind.Text:
            {
                var loaded = await TextLoader.LoadAsync(path, originalFileName, media, ct).ConfigureAwait(false);
                var analysis = TextFingerprinter.Default.Analyze(loaded.Text);
                return new QueryFingerprints(null, analysis, loaded.Text);
            }

            default:
                return new QueryFingerprints(null, null, null);
        }
    }

    private static (int Width, int Height) UprightSize(ImageMetadata? meta) =>
        meta is null ? (0, 0) : meta.Orientation is >= 5 and <= 8 ? (meta.Height, meta.Width) : (meta.Width, meta.Height);
}

/// <summary>The fingerprints of one file, ready to store (registration) or to search with (a suspect).</summary>
public sealed record QueryFingerprints(ImageFingerprint? Image, TextAnalysis? Text, string? DecodedText)
{
    /// <summary>The records to store with the work.</summary>
    public IReadOnlyList<FingerprintRecord> ToRecords()
    {
        var records = new List<FingerprintRecord>();
        if (Image is not null)
        {
            records.Add(new FingerprintRecord(FingerprintService.ImageAlgorithm, Image.ToBytes()));
        }

        if (Text is not null)
        {
            records.Add(new FingerprintRecord(FingerprintService.TextAlgorithm, Text.Fingerprints.ToBytes()));
        }

        return records;
    }

    /// <summary>The fingerprint set's digests, sorted, for the registration entry.</summary>
    public IReadOnlyList<string> Digests()
    {
        var digests = new List<string>();
        if (Image is not null)
        {
            digests.Add(FingerprintService.ImageAlgorithm + ":" + Image.Digest());
        }

        if (Text is not null)
        {
            digests.Add(FingerprintService.TextAlgorithm + ":" + Text.Fingerprints.Digest);
        }

        return digests;
    }
}
