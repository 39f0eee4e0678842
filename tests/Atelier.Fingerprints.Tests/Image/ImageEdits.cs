using NetVips;
using VipsImage = NetVips.Image;

namespace Atelier.Fingerprints.Tests.Image;

/// <summary>The edits issue 3 requires the image fingerprints to survive, made with libvips.</summary>
public static class ImageEdits
{
    /// <summary>Edit names in report order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "resize-40", "jpeg-q25", "crop-centre-80-area", "crop-left-70", "rotate-8", "brightness-contrast-25",
        "flip-horizontal", "greyscale", "caption", "frame-10", "gamma-1.6", "pasted-60",
    ];

    /// <summary>Applies edit <paramref name="name"/> to a full-size original; the caller disposes the result.</summary>
    public static VipsImage Apply(VipsImage original, string name)
    {
        ArgumentNullException.ThrowIfNull(original);
        int w = original.Width, h = original.Height;
        switch (name)
        {
            case "resize-40":
                return original.Resize(0.4);
            case "jpeg-q25":
            {
                var bytes = original.JpegsaveBuffer(q: 25);
                return VipsImage.NewFromBuffer(bytes);
            }

            case "crop-centre-80-area":
            {
                var s = Math.Sqrt(0.8);
                int cw = (int)Math.Round(w * s), ch = (int)Math.Round(h * s);
                return original.Crop((w - cw) / 2, (h - ch) / 2, cw, ch);
            }

            case "crop-left-70":
                return original.Crop(0, 0, (int)Math.Round(w * 0.7), h);
            case "rotate-8":
                // The canvas grows to hold the turned picture and its empty corners are filled with white,
                // as ImageMagick's -rotate does.
                return original.Rotate(8, background: [255, 255, 255]);
            case "brightness-contrast-25":
                // Contrast +25% about mid-grey, then brightness +25% of full scale, clipped to 8 bits.
                return Clip(original.Linear([1.25], [(-0.25 * 128) + (0.25 * 255)]));
            case "flip-horizontal":
                return original.FlipHor();
            case "greyscale":
                return original.Colourspace(Enums.Interpretation.Bw);
            case "caption":
                return Caption(original);
            case "frame-10":
            {
                int bx = (int)Math.Round(w * 0.1), by = (int)Math.Round(h * 0.1);
                return original.Embed(bx, by, w + (2 * bx), h + (2 * by), extend: Enums.Extend.Background, background: [92, 64, 40]);
            }

            case "gamma-1.6":
                return original.Gamma(exponent: 1.6);
            case "pasted-60":
            {
                using var small = original.Resize(0.6);
                return small.Embed((int)(w * 0.3), (int)(h * 0.1), w, h, extend: Enums.Extend.Background, background: [236, 236, 230]);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "unknown edit");
        }
    }

    private static VipsImage Clip(VipsImage image)
    {
        using var clipped = image.Cast(Enums.BandFormat.Uchar);
        return clipped.Copy();
    }

    /// <summary>
    /// A large caption across the lower third: a 50% black band and white text at 85% opacity,
    /// about a fifth of the picture covered.
    /// </summary>
    private static VipsImage Caption(VipsImage original)
    {
        int w = original.Width, h = original.Height;
        var bandHeight = h / 5;
        var top = h - bandHeight - (h / 12);
        using var rgb = original.Bands >= 3 ? original.ExtractBand(0, n: 3) : original.Colourspace(Enums.Interpretation.Srgb);
        using var text = VipsImage.Text("© Studio Atelier 2025", font: "DejaVu Sans Bold", width: w * 9 / 10, height: bandHeight * 7 / 10);
        using var band = VipsImage.Black(w, bandHeight).NewFromImage(0, 0, 0, 128);
        using var bandOver = rgb.Composite2(band.Copy(interpretation: Enums.Interpretation.Srgb), Enums.BlendMode.Over, x: 0, y: top);
        using var alpha = (text * (0.85 * 255 / 255.0)).Cast(Enums.BandFormat.Uchar);
        using var white = alpha.NewFromImage(255, 255, 255);
        using var textRgba = white.Bandjoin(alpha).Copy(interpretation: Enums.Interpretation.Srgb);
        var tx = (w - text.Width) / 2;
        var ty = top + ((bandHeight - text.Height) / 2);
        using var composed = bandOver.Composite2(textRgba, Enums.BlendMode.Over, x: tx, y: ty);
        return composed.ExtractBand(0, n: 3);
    }
}
