using Atelier.Fingerprints.Image;

namespace Atelier.Fingerprints.Tests.Image;

public sealed class ImageFingerprintTests(EvaluationFixture fixture) : IClassFixture<EvaluationFixture>
{
    [Fact]
    public void ToBytes_round_trips_and_digest_is_stable()
    {
        var data = fixture.Get();
        foreach (var fp in data.Originals.Take(10).Concat([data.Edits[(0, "frame-10")]]))
        {
            var bytes = fp.ToBytes();
            var back = ImageFingerprint.FromBytes(bytes);
            Assert.Equal(bytes, back.ToBytes());
            Assert.Equal(fp.Digest(), back.Digest());
            Assert.Equal(fp.Pdq, back.Pdq);
            Assert.Equal(fp.Features.Count, back.Features.Count);
            Assert.True(bytes.Length <= 600 + (40 * LocalFeatures.DefaultMaxFeatures), $"{bytes.Length} bytes");
        }

        Assert.NotNull(data.Edits[(0, "frame-10")].Content);
    }

    [Fact]
    public void FromBytes_damaged_input_throws_format_exception()
    {
        var bytes = fixture.Get().Originals[0].ToBytes();
        Assert.Throws<FormatException>(() => ImageFingerprint.FromBytes(bytes.AsSpan(0, bytes.Length - 5)));
        Assert.Throws<FormatException>(() => ImageFingerprint.FromBytes([1, 2, 3]));
        var wrongVersion = (byte[])bytes.Clone();
        wrongVersion[3] = 99;
        Assert.Throws<FormatException>(() => ImageFingerprint.FromBytes(wrongVersion));
    }

    [Fact]
    public void Compute_same_pixels_give_same_digest()
    {
        var pixels = new byte[300 * 200 * 3];
        new Random(5).NextBytes(pixels);
        var a = ImageFingerprinter.Compute(pixels, 300, 200, PixelFormat.Rgb24);
        var b = ImageFingerprinter.Compute(pixels, 300, 200, PixelFormat.Rgb24);
        Assert.Equal(a.Digest(), b.Digest());
    }

    [Fact]
    public void Match_low_quality_pdq_is_never_matched_alone()
    {
        // A flat grey image: PDQ quality 0 and no local features, so it matches nothing, not even itself.
        var flat = Enumerable.Repeat((byte)90, 200 * 150).ToArray();
        var fp = ImageFingerprinter.Compute(flat, 200, 150, PixelFormat.Gray8);
        Assert.True(fp.IsLowQuality);
        using var index = new ImageMatchIndex();
        index.Add("flat", fp);
        Assert.Empty(index.Match(fp));
    }

    [Fact]
    public void Remove_work_is_no_longer_matched()
    {
        var data = fixture.Get();
        using var index = new ImageMatchIndex();
        index.Add("a", data.Originals[0]);
        index.Add("b", data.Originals[1]);
        Assert.Equal("a", index.Match(data.Edits[(0, "crop-left-70")]).Single().WorkId);
        Assert.True(index.Remove("a"));
        Assert.False(index.Remove("a"));
        Assert.Empty(index.Match(data.Edits[(0, "crop-left-70")]));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Match_reports_variant_and_region_of_partial_copy()
    {
        var data = fixture.Get();
        using var index = new ImageMatchIndex();
        index.Add("w", data.Originals[0]);
        var crop = index.Match(data.Edits[(0, "crop-left-70")]).Single();
        Assert.Equal(ImageMatchGrade.Partial, crop.Grade);
        Assert.NotNull(crop.Alignment);
        Assert.InRange(crop.Alignment.Region.X, 0, 0.05);
        Assert.InRange(crop.Alignment.Region.Width, 0.6, 0.8);
        var flip = index.Match(data.Edits[(0, "flip-horizontal")]).Single();
        Assert.Equal(Dihedral.FlipY, flip.Transform);
        var turn = index.Match(data.Edits[(0, "rotate-8")]).Single();
        Assert.InRange(Math.Abs(turn.Alignment!.RotationDegrees), 6, 10);
    }
}
