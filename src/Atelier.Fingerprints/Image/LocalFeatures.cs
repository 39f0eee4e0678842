using System.Runtime.InteropServices;
using OpenCvSharp;

namespace Atelier.Fingerprints.Image;

/// <summary>A keypoint in its feature frame: position in pixels, orientation in degrees, and detector response.</summary>
public readonly record struct Keypoint(float X, float Y, float Angle, float Response);

/// <summary>The local features of one image: keypoints and their 256-bit ORB descriptors, strongest first.</summary>
/// <param name="FrameWidth">Width of the frame the keypoints live in (the image scaled to fit <see cref="LocalFeatures.FrameSide"/>).</param>
/// <param name="FrameHeight">Height of that frame.</param>
/// <param name="Points">Keypoints, strongest response first.</param>
/// <param name="Descriptors">One rotated-BRIEF descriptor per keypoint; the same 256-bit type as PDQ, so one index serves both.</param>
public sealed record LocalFeatureSet(int FrameWidth, int FrameHeight, Keypoint[] Points, PdqHash[] Descriptors)
{
    /// <summary>An image with no features (too small or flat).</summary>
    public static LocalFeatureSet Empty { get; } = new(0, 0, [], []);

    /// <summary>Number of features.</summary>
    public int Count => Points.Length;
}

/// <summary>How a query's features line up with a registered image's.</summary>
/// <param name="Inliers">Correspondences consistent with one similarity transform.</param>
/// <param name="Candidates">Correspondences that passed the ratio test.</param>
/// <param name="Scale">Scale from the query frame to the registered frame.</param>
/// <param name="RotationDegrees">Rotation from the query to the registered image, counter-clockwise positive.</param>
/// <param name="RegisteredCovered">Share of the registered image that the query shows (1 for a whole copy, about 0.8 for an 80% crop).</param>
/// <param name="QueryCovered">Share of the query that the registered image fills (below 1 when it is pasted into a larger picture).</param>
/// <param name="Region">The part of the registered image the query shows, as fractions of its width and height.</param>
public sealed record FeatureAlignment(int Inliers, int Candidates, double Scale, double RotationDegrees, double RegisteredCovered, double QueryCovered, RegionF Region);

/// <summary>A rectangle in fractions (0–1) of an image's width and height.</summary>
public readonly record struct RegionF(double X, double Y, double Width, double Height)
{
    /// <summary>The whole image.</summary>
    public static RegionF Whole { get; } = new(0, 0, 1, 1);

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"x={X:F2} y={Y:F2} w={Width:F2} h={Height:F2}");
}

/// <summary>
/// Local features for partial copies: ORB (E. Rublee et al., "ORB: an efficient alternative to SIFT or
/// SURF", ICCV 2011) through OpenCV, verified with RANSAC over a similarity transform (M. Fischler,
/// R. Bolles, CACM 1981) as OpenCV's estimateAffinePartial2D does.
/// </summary>
/// <remarks>
/// Why ORB rather than more PDQ hashes of sub-regions: PDQ stops matching when the frame moves by
/// about 1% of a side (a 98% centre crop is 22 bits away, 97% is 34) or turns by 1.5°, so a grid of
/// region hashes would need hundreds of hashes per image to cover arbitrary crops, and still none
/// for rotations. On the dev photos ORB with RANSAC keeps at least 19 inliers on every 80% and 70%
/// crop, 8° rotation, frame and 60% paste, while unrelated pairs reach at most 17 (see the
/// evaluation test's table). ORB is not mirror-invariant; whole-image flips are PDQ's dihedral hashes' job.
/// Images are scaled to fit <see cref="FrameSide"/> before detection so that a copy and its original
/// are seen at similar scales whatever their pixel sizes.
/// </remarks>
public static class LocalFeatures
{
    /// <summary>Images are scaled (up or down) to fit this square before detection.</summary>
    public const int FrameSide = 512;

    /// <summary>Features kept per image by default.</summary>
    public const int DefaultMaxFeatures = 500;

    /// <summary>Ratio test (D. Lowe, IJCV 2004, §7.1): the best match must beat the second best by this factor.</summary>
    public const double RatioTest = 0.8;

    /// <summary>RANSAC inlier tolerance, in frame pixels.</summary>
    public const double RansacPixels = 4.0;

    private const int Grid = 4;

    private static readonly Lazy<bool> NativeProbe = new(ProbeNative);

    // With a true copy half or more of the candidates are inliers and RANSAC stops after a few dozen
    // draws; this bound only limits the time spent on candidates that are not copies.
    private const int RansacIterations = 500;

    /// <summary>
    /// True when OpenCV's native runtime loads here. The official Linux build links GTK 3 (Debian's
    /// libgtk-3-0); on a machine without it images get PDQ hashes only, so whole-image copies still match
    /// but crops, rotations and pasted copies do not. Detection then returns no features rather than failing
    /// every image import.
    /// </summary>
    public static bool IsAvailable => NativeProbe.Value;

    /// <summary>Detects up to <paramref name="maxFeatures"/> ORB features spread over the image.</summary>
    /// <param name="gray">8-bit luminance, rows top to bottom.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="maxFeatures">Upper bound on the features kept.</param>
    public static LocalFeatureSet Detect(ReadOnlySpan<byte> gray, int width, int height, int maxFeatures = DefaultMaxFeatures)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFeatures, 1);
        if ((long)width * height > PdqHasher.MaxPixels || gray.Length < width * height)
        {
            throw new ArgumentException("the buffer does not hold width × height pixels within the size limit", nameof(gray));
        }

        if (width < 32 || height < 32 || !IsAvailable)
        {
            return LocalFeatureSet.Empty;
        }

        var scale = Math.Min((double)FrameSide / width, (double)FrameSide / height);
        var fw = Math.Max(1, (int)Math.Round(width * scale));
        var fh = Math.Max(1, (int)Math.Round(height * scale));
        var pixels = gray[..(width * height)].ToArray();
        using var source = Mat.FromPixelData(height, width, MatType.CV_8UC1, pixels);
        using var frame = new Mat();
        Cv2.Resize(source, frame, new Size(fw, fh), 0, 0, scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        using var orb = ORB.Create(maxFeatures * 2);
        using var descriptors = new Mat();
        orb.DetectAndCompute(frame, null, out var keypoints, descriptors);
        if (keypoints.Length == 0 || descriptors.Rows != keypoints.Length || descriptors.Cols != PdqHash.Bytes)
        {
            return new LocalFeatureSet(fw, fh, [], []);
        }

        var raw = new byte[descriptors.Rows * PdqHash.Bytes];
        Marshal.Copy(descriptors.Data, raw, 0, raw.Length);
        var chosen = Spread(keypoints, fw, fh, maxFeatures);
        var points = new Keypoint[chosen.Count];
        var codes = new PdqHash[chosen.Count];
        for (var i = 0; i < chosen.Count; i++)
        {
            var k = keypoints[chosen[i]];
            points[i] = new Keypoint(k.Pt.X, k.Pt.Y, k.Angle, k.Response);
            codes[i] = PdqHash.Read(raw.AsSpan(chosen[i] * PdqHash.Bytes, PdqHash.Bytes));
        }

        return new LocalFeatureSet(fw, fh, points, codes);
    }

    private static bool ProbeNative()
    {
        try
        {
            using var probe = new Mat(8, 8, MatType.CV_8UC1);
            return !probe.Empty();
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Aligns a query's features with a registered image's: ratio-test correspondences, then RANSAC
    /// over a similarity transform. Null when fewer than <paramref name="minInliers"/> agree.
    /// </summary>
    public static FeatureAlignment? Align(LocalFeatureSet query, LocalFeatureSet registered, int minInliers)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(registered);
        if (query.Count < minInliers || registered.Count < minInliers)
        {
            return null;
        }

        var from = new List<Point2f>();
        var to = new List<Point2f>();
        for (var i = 0; i < query.Count; i++)
        {
            int best = int.MaxValue, second = int.MaxValue, bestIndex = -1;
            var q = query.Descriptors[i];
            for (var j = 0; j < registered.Count; j++)
            {
                var d = PdqHash.Distance(q, registered.Descriptors[j]);
                if (d < best)
                {
                    second = best;
                    best = d;
                    bestIndex = j;
                }
                else if (d < second)
                {
                    second = d;
                }
            }

            if (bestIndex >= 0 && best < RatioTest * second)
            {
                from.Add(new Point2f(query.Points[i].X, query.Points[i].Y));
                to.Add(new Point2f(registered.Points[bestIndex].X, registered.Points[bestIndex].Y));
            }
        }

        if (from.Count < minInliers)
        {
            return null;
        }

        using var inlierMask = new Mat();
        using var src = InputArray.Create(from);
        using var dst = InputArray.Create(to);
        using var model = Cv2.EstimateAffinePartial2D(src, dst, inlierMask, RobustEstimationAlgorithms.RANSAC, RansacPixels, RansacIterations, 0.995, 10);
        if (model is null || model.Empty())
        {
            return null;
        }

        var inliers = Cv2.CountNonZero(inlierMask);
        if (inliers < minInliers)
        {
            return null;
        }

        double a = model.At<double>(0, 0), b = model.At<double>(1, 0), tx = model.At<double>(0, 2), ty = model.At<double>(1, 2);
        var scale = Math.Sqrt((a * a) + (b * b));
        var angle = -Math.Atan2(b, a) * 180 / Math.PI;
        var (registeredCovered, region) = Coverage(query, registered, a, b, tx, ty);
        var queryCovered = InverseCoverage(query, registered, a, b, tx, ty);
        return new FeatureAlignment(inliers, from.Count, scale, angle, registeredCovered, queryCovered, region);
    }

    /// <summary>Share of the registered frame inside the query's mapped frame, and the bounding box of that part.</summary>
    private static (double Share, RegionF Region) Coverage(LocalFeatureSet query, LocalFeatureSet registered, double a, double b, double tx, double ty)
    {
        // Map registered-frame sample points back into the query frame (inverse similarity) and count those inside.
        var det = (a * a) + (b * b);
        const int n = 32;
        int inside = 0;
        double minX = 1, minY = 1, maxX = 0, maxY = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var fx = (j + 0.5) / n;
                var fy = (i + 0.5) / n;
                double rx = (fx * registered.FrameWidth) - tx, ry = (fy * registered.FrameHeight) - ty;
                var qx = ((a * rx) + (b * ry)) / det;
                var qy = ((-b * rx) + (a * ry)) / det;
                if (qx >= 0 && qy >= 0 && qx < query.FrameWidth && qy < query.FrameHeight)
                {
                    inside++;
                    minX = Math.Min(minX, fx);
                    minY = Math.Min(minY, fy);
                    maxX = Math.Max(maxX, fx);
                    maxY = Math.Max(maxY, fy);
                }
            }
        }

        if (inside == 0)
        {
            return (0, new RegionF(0, 0, 0, 0));
        }

        var half = 0.5 / n;
        var x0 = Math.Max(0, minX - half);
        var y0 = Math.Max(0, minY - half);
        return ((double)inside / (n * n), new RegionF(x0, y0, Math.Min(1, maxX + half) - x0, Math.Min(1, maxY + half) - y0));
    }

    /// <summary>Share of the query frame that maps inside the registered frame.</summary>
    private static double InverseCoverage(LocalFeatureSet query, LocalFeatureSet registered, double a, double b, double tx, double ty)
    {
        const int n = 32;
        var inside = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var qx = (j + 0.5) / n * query.FrameWidth;
                var qy = (i + 0.5) / n * query.FrameHeight;
                var rx = (a * qx) - (b * qy) + tx;
                var ry = (b * qx) + (a * qy) + ty;
                if (rx >= 0 && ry >= 0 && rx < registered.FrameWidth && ry < registered.FrameHeight)
                {
                    inside++;
                }
            }
        }

        return (double)inside / (n * n);
    }

    /// <summary>
    /// Keeps the strongest keypoints while capping each cell of a 4×4 grid at twice its fair share, so
    /// a caption's sharp letters cannot crowd out the picture around them.
    /// </summary>
    private static List<int> Spread(KeyPoint[] keypoints, int width, int height, int maxFeatures)
    {
        var order = Enumerable.Range(0, keypoints.Length).OrderByDescending(i => keypoints[i].Response).ToArray();
        var cap = Math.Max(8, 2 * maxFeatures / (Grid * Grid));
        var perCell = new int[Grid * Grid];
        var chosen = new List<int>(maxFeatures);
        foreach (var i in order)
        {
            var cx = Math.Clamp((int)(keypoints[i].Pt.X * Grid / width), 0, Grid - 1);
            var cy = Math.Clamp((int)(keypoints[i].Pt.Y * Grid / height), 0, Grid - 1);
            if (perCell[(cy * Grid) + cx] >= cap)
            {
                continue;
            }

            perCell[(cy * Grid) + cx]++;
            chosen.Add(i);
            if (chosen.Count == maxFeatures)
            {
                break;
            }
        }

        return chosen;
    }
}
