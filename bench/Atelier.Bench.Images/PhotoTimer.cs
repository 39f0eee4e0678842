using System.Diagnostics;
using Atelier.Fingerprints.Image;
using Atelier.Fingerprints.Tests.Image;

namespace Atelier.Bench.Images;

/// <summary>
/// Fingerprints every photo of a folder on one thread and reports CPU milliseconds per photo (median),
/// to set beside upstream's pdq-photo-hasher: about 50 ms of CPU per photo on this machine type
/// (../shared/anchors/pdq/README.md; its C++ source cannot be fetched here, so it is not rebuilt).
/// </summary>
internal static class PhotoTimer
{
    public static void Run(string folder)
    {
        NetVips.NetVips.Concurrency = 1;
        var files = Directory.EnumerateFiles(folder).Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
        foreach (var side in new[] { 256, 384, 512 })
        {
            var pdqOnly = new List<double>();
            var all = new List<double>();
            foreach (var f in files.Take(2))
            {
                var warm = VipsDecoder.Load(f, side);
                ImageFingerprinter.Compute(warm.Pixels, warm.Width, warm.Height, warm.Format, warm.SourceWidth, warm.SourceHeight);
            }

            foreach (var f in files)
            {
                var t0 = Process.GetCurrentProcess().TotalProcessorTime;
                var d = VipsDecoder.Load(f, side);
                PdqHasher.Hash(d.Pixels, d.Width, d.Height, d.Format);
                var t1 = Process.GetCurrentProcess().TotalProcessorTime;
                var e = VipsDecoder.Load(f, side);
                ImageFingerprinter.Compute(e.Pixels, e.Width, e.Height, e.Format, e.SourceWidth, e.SourceHeight);
                var t2 = Process.GetCurrentProcess().TotalProcessorTime;
                pdqOnly.Add((t1 - t0).TotalMilliseconds);
                all.Add((t2 - t1).TotalMilliseconds);
            }

            pdqOnly.Sort();
            all.Sort();
            Console.WriteLine(FormattableString.Invariant(
                $"decode side {side}: decode+PDQ median {pdqOnly[pdqOnly.Count / 2]:F1} ms CPU; decode+full fingerprint (PDQ x8, trim, ORB) median {all[all.Count / 2]:F1} ms CPU, p90 {all[all.Count * 9 / 10]:F1} ms over {files.Count} photos"));
        }
    }
}
