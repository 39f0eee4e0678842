namespace Atelier.Media.Images;

/// <summary>
/// A small decoded image: 8-bit sRGB, 3 bytes per pixel (R, G, B), rows top to bottom with no padding.
/// Transparent images are composited onto white, as most viewers show them.
/// </summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != checked(width * height * 3))
        {
            throw new ArgumentException($"expected {width * height * 3} bytes for {width}x{height} RGB, got {pixels.Length}", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>R, G, B bytes, row-major.</summary>
    public ReadOnlyMemory<byte> Pixels { get; }

    /// <summary>
    /// Luma per pixel, row-major, in 0..255, with the Rec. 601 weights (0.299 R + 0.587 G + 0.114 B) on the
    /// gamma-encoded values, as PDQ (Facebook ThreatExchange pdq/README, "luminance") prescribes.
    /// </summary>
    public float[] ToLuma()
    {
        var rgb = Pixels.Span;
        var luma = new float[Width * Height];
        for (int i = 0, j = 0; i < luma.Length; i++, j += 3)
        {
            luma[i] = (0.299f * rgb[j]) + (0.587f * rgb[j + 1]) + (0.114f * rgb[j + 2]);
        }

        return luma;
    }
}

/// <summary>A grayscale image: <see cref="Pixels"/> holds width × height luma values in 0..255, row-major.</summary>
public sealed record LumaImage(int Width, int Height, float[] Pixels);
