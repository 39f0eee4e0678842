namespace Atelier.Fingerprints.Image;

/// <summary>
/// The eight symmetries of a rectangle, in the order and with the names upstream PDQ uses
/// (ThreatExchange pdq/README, "dihedral hashes"). FlipX turns the picture upside down (it reflects
/// about the horizontal x axis); FlipY mirrors it left to right; FlipPlus1 and FlipMinus1 reflect
/// about the main and the anti diagonal.
/// </summary>
public enum Dihedral : byte
{
    Original = 0,
    Rotate90 = 1,
    Rotate180 = 2,
    Rotate270 = 3,
    FlipX = 4,
    FlipY = 5,
    FlipPlus1 = 6,
    FlipMinus1 = 7,
}

/// <summary>Names of <see cref="Dihedral"/> values for reports.</summary>
public static class DihedralNames
{
    /// <summary>All eight, in upstream order.</summary>
    public static IReadOnlyList<Dihedral> All { get; } =
        [Dihedral.Original, Dihedral.Rotate90, Dihedral.Rotate180, Dihedral.Rotate270, Dihedral.FlipX, Dihedral.FlipY, Dihedral.FlipPlus1, Dihedral.FlipMinus1];

    /// <summary>A short lower-case wire name: "original", "rotate-90", "flip-vertical", "flip-horizontal", ...</summary>
    public static string ToWire(this Dihedral d) => d switch
    {
        Dihedral.Original => "original",
        Dihedral.Rotate90 => "rotate-90",
        Dihedral.Rotate180 => "rotate-180",
        Dihedral.Rotate270 => "rotate-270",
        Dihedral.FlipX => "flip-vertical",
        Dihedral.FlipY => "flip-horizontal",
        Dihedral.FlipPlus1 => "transpose",
        Dihedral.FlipMinus1 => "transverse",
        _ => throw new ArgumentOutOfRangeException(nameof(d), d, "not a dihedral transform"),
    };
}
