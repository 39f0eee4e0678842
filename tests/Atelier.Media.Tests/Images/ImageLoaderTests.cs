using Atelier.Media.Images;
using Atelier.Testing;

namespace Atelier.Media.Tests.Images;

public sealed class ImageLoaderTests
{
    public static TheoryData<string> PdqModes() =>
        new("1.png", "CMYK.jpg", "F.webp", "HSV.webp", "I.webp", "L.png", "LA.png", "LAB.webp", "P.png", "PA.webp", "RGB.jpg", "RGBA.png", "YCbCr.jpg", "original.jpg");

    /// <summary>Every pixel mode of the same photo (1-bit, palette, CMYK, gray+alpha...) decodes to nearly the same picture.</summary>
    [Theory]
    [MemberData(nameof(PdqModes))]
    public void LoadLuma_every_pixel_mode_matches_the_original(string name)
    {
        var dir = TestFiles.Shared(TestFiles.PdqModes);
        var original = ImageLoader.LoadLuma(Path.Combine(dir, "original.jpg"), 64);

        var luma = ImageLoader.LoadLuma(Path.Combine(dir, name), 64);

        Assert.Equal((64, 40), (luma.Width, luma.Height));
        Assert.Equal(64 * 40, luma.Pixels.Length);
        Assert.All(luma.Pixels, value => Assert.InRange(value, 0f, 255f));
        // Modes lose information (1-bit dithers, HSV/LAB round-trip through RGB), so compare the mean error
        // against the image's own contrast rather than exactly.
        var meanError = luma.Pixels.Zip(original.Pixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanError < (name == "1.png" ? 60 : 12), $"{name}: mean luma difference {meanError:0.0}");
    }

    [Fact]
    public void LoadRgb_applies_exif_orientation_when_asked()
    {
        var path = Path.Combine(TestFiles.Shared(TestFiles.ExifRotation), "exif-rotn-6.jpg");

        var upright = ImageLoader.LoadRgb(path, 64);
        var stored = ImageLoader.LoadRgb(path, 64, applyExifOrientation: false);

        // Stored 4032x3024 with orientation 6 (rotate 90° clockwise to view): portrait when applied.
        Assert.Equal((48, 64), (upright.Width, upright.Height));
        Assert.Equal((64, 48), (stored.Width, stored.Height));
    }

    [Fact]
    public void LoadLuma_orientations_of_one_scene_agree_once_applied()
    {
        var dir = TestFiles.Shared(TestFiles.ExifRotation);
        var rotated = ImageLoader.LoadLuma(Path.Combine(dir, "exif-rotn-3.jpg"), 32);
        var reference = ImageLoader.LoadLuma(Path.Combine(dir, "exif-rotn-1.jpg"), 32);
        var unrotated = ImageLoader.LoadLuma(Path.Combine(dir, "exif-rotn-3.jpg"), 32, applyExifOrientation: false);

        var applied = rotated.Pixels.Zip(reference.Pixels, (a, b) => Math.Abs(a - b)).Average();
        var ignored = unrotated.Pixels.Zip(reference.Pixels, (a, b) => Math.Abs(a - b)).Average();

        Assert.True(applied < ignored / 2, $"applied orientation differs by {applied:0.0}, ignored by {ignored:0.0}");
    }

    [Fact]
    public void LoadRgb_small_image_is_not_upscaled()
    {
        var path = Path.Combine(TestFiles.Shared("vectors/pdq/data/misc-images"), "wee.jpg");

        var rgb = ImageLoader.LoadRgb(path, 512);

        Assert.Equal((34, 42), (rgb.Width, rgb.Height));
        Assert.Equal(34 * 42 * 3, rgb.Pixels.Length);
    }

    [Fact]
    public void LoadRgb_sixteen_bit_png_is_scaled_to_eight_bits()
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("deep.png");
        using (var white = NetVips.Image.Black(8, 8, bands: 3).Linear([1.0, 1.0, 1.0], [65535.0, 0.0, 32768.0]))
        using (var deep = white.Cast(NetVips.Enums.BandFormat.Ushort).Copy(interpretation: NetVips.Enums.Interpretation.Rgb16))
        {
            deep.Pngsave(path, bitdepth: 16);
        }

        var rgb = ImageLoader.LoadRgb(path, 8);

        var first = rgb.Pixels.Span[..3].ToArray();
        Assert.Equal(255, first[0]);
        Assert.Equal(0, first[1]);
        Assert.InRange(first[2], 127, 128);
    }

    [Fact]
    public void LoadRgb_transparent_pixels_are_composited_on_white()
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("clear.png");
        using (var clear = NetVips.Image.Black(4, 4, bands: 4).Copy(interpretation: NetVips.Enums.Interpretation.Srgb))
        {
            clear.Pngsave(path);
        }

        var rgb = ImageLoader.LoadRgb(path, 4);

        Assert.All(rgb.Pixels.ToArray(), value => Assert.Equal(255, value));
    }

    [Fact]
    public void LoadRgb_bmp_keeps_pixel_values_and_orientation()
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("gradient.bmp");
        File.WriteAllBytes(path, TestFiles.Bmp24(16, 8, (x, y) => ((byte)(x * 16), (byte)(y * 32), 200)));

        var rgb = ImageLoader.LoadRgb(path, 16).Pixels.Span;

        // Top-left (0,0) and bottom-right (15,7) survive the bottom-up row order.
        Assert.Equal(new byte[] { 0, 0, 200 }, rgb[..3].ToArray());
        Assert.Equal(new byte[] { 240, 224, 200 }, rgb[^3..].ToArray());
    }

    [Fact]
    public void LoadRgb_text_file_is_unsupported()
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("notes.txt");
        File.WriteAllText(path, "not an image");

        var error = Assert.Throws<MediaException>(() => ImageLoader.LoadRgb(path, 64));

        Assert.Equal(MediaErrorCode.Unsupported, error.Code);
    }

    [Fact]
    public void ToLuma_uses_rec601_weights()
    {
        var image = new RgbImage(3, 1, [255, 0, 0, 0, 255, 0, 0, 0, 255]);

        var luma = image.ToLuma();

        Assert.Equal(0.299f * 255, luma[0], 3);
        Assert.Equal(0.587f * 255, luma[1], 3);
        Assert.Equal(0.114f * 255, luma[2], 3);
    }
}
