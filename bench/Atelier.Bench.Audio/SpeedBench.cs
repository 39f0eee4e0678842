using System.Globalization;
using Atelier.Fingerprints.Audio;
using Atelier.Fingerprints.Tests.Audio;
using Atelier.Media.Audio;

namespace Atelier.Bench.Audio;

/// <summary>
/// Seconds of audio per CPU-second, side by side on the same files: Debian's fpcalc (Chromaprint, whole tracks,
/// decoding included), ffmpeg's decode to 8 kHz mono float alone, and ours (that decode, then
/// <see cref="AudioFingerprinter.Compute"/>). CPU is user + system from getrusage, the tools' included; files run
/// one at a time; each figure is the median over the runs of (audio seconds / CPU seconds) for the whole set.
/// </summary>
public static class SpeedBench
{
    public static async Task RunAsync(int fileCount, int runs)
    {
        var dev = BenchData.DevDirectory;
        var corpus = AudioFixtures.ReadCorpus(dev);

        // Every n-th track of the sorted list: the set spans the folders (and so Vorbis and Opus).
        var step = Math.Max(1, corpus.Count / fileCount);
        var files = corpus.Where((_, i) => i % step == 0).Take(fileCount).ToList();
        var audioSeconds = files.Sum(f => f.Duration);
        var fpcalc = AudioTools.Which("fpcalc");
        Console.WriteLine($"{files.Count} files, {audioSeconds:F0} s of audio; {runs} runs; {Environment.ProcessorCount} cores");
        if (fpcalc is null)
        {
            Console.WriteLine("fpcalc is not installed (apt-get install libchromaprint-tools): its column is left out");
        }

        // Warm-up: JIT, the page cache, ffmpeg's and fpcalc's shared libraries.
        await OursAsync(dev, files.Take(2).ToList());
        if (fpcalc is not null)
        {
            await FpcalcAsync(fpcalc, dev, files.Take(2).ToList());
        }

        await OursBatchedAsync(dev, files.Take(2).ToList());
        var fpcalcCpu = new List<double>();
        var decodeTool = new List<double>();
        var decodeSelf = new List<double>();
        var fingerprint = new List<double>();
        var batchTool = new List<double>();
        var batchSelf = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            if (fpcalc is not null)
            {
                fpcalcCpu.Add(await FpcalcAsync(fpcalc, dev, files));
            }

            var (tool, self, compute) = await OursAsync(dev, files);
            decodeTool.Add(tool);
            decodeSelf.Add(self);
            fingerprint.Add(compute);
            var (bTool, bSelf) = await OursBatchedAsync(dev, files);
            batchTool.Add(bTool);
            batchSelf.Add(bSelf);
            Console.Error.WriteLine($"run {run + 1}: fpcalc {(fpcalcCpu.Count > 0 ? fpcalcCpu[^1] : double.NaN):F2} CPU-s; ours: ffmpeg {tool:F2}, reading PCM {self:F2}, fingerprinting {compute:F2} CPU-s; batched: ffmpeg {bTool:F2}, reading and fingerprinting {bSelf:F2} CPU-s");
        }

        var ours = decodeTool.Zip(decodeSelf, fingerprint).Select(t => t.First + t.Second + t.Third).ToList();
        var batched = batchTool.Zip(batchSelf).Select(t => t.First + t.Second).ToList();
        var decode = decodeTool.Zip(decodeSelf).Select(t => t.First + t.Second).ToList();
        Console.WriteLine();
        Console.WriteLine("                                   audio s per CPU-s   CPU ms per audio s   (medians)");
        if (fpcalcCpu.Count > 0)
        {
            Line("fpcalc -length 0 (Chromaprint)", fpcalcCpu);
        }

        Line("ffmpeg decode to 8 kHz f32 alone", decodeTool);
        Line("ours: decode (ffmpeg + reading)", decode);
        Line("ours: fingerprint only", fingerprint);
        Line("ours: decode + fingerprint", ours);
        Line($"batched: ffmpeg, {AudioBatchDecoder.MaxBatch} files a run", batchTool);
        Line("batched: decode + fingerprint", batched);
        var total = Median(ours);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"split: decode {Median(decode) / total:P0}, fingerprinting {Median(fingerprint) / total:P0} of our CPU time (one file a run); batched: ffmpeg {Median(batchTool) / Median(batched):P0}"));
        if (fpcalcCpu.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours / fpcalc speed: {Median(fpcalcCpu) / total:F2} one file a run (as an upload), {Median(fpcalcCpu) / Median(batched):F2} batched (as a folder import) (issue 5: at least 0.5, aiming for 1)"));
        }

        void Line(string name, List<double> cpu) => Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture, $"{name,-34} {audioSeconds / Median(cpu),17:F0} {Median(cpu) * 1000 / audioSeconds,20:F3}"));
    }

    private static double Median(List<double> values) => AudioEvaluation.Median(values);

    /// <summary>fpcalc's CPU seconds for the set. fpcalc 1.5.1 with FFmpeg 5 exits 3 at the end of a whole
    /// track ("Error decoding audio frame (End of file)") after printing the fingerprint: that counts as done.</summary>
    private static async Task<double> FpcalcAsync(string fpcalc, string dev, List<AudioFixtureTrack> files)
    {
        var cpu = 0.0;
        foreach (var file in files)
        {
            var before = CpuTime.Children;
            var result = await AudioTools.RunAsync(fpcalc, ["-length", "0", Path.Combine(dev, file.File)], acceptExitCodes: [0, 3]);
            cpu += CpuTime.Children - before;
            if (!System.Text.Encoding.ASCII.GetString(result).Contains("FINGERPRINT=", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"fpcalc printed no fingerprint for {file.File}");
            }
        }

        return cpu;
    }

    /// <summary>As a folder import decodes: <see cref="AudioBatchDecoder"/>, then each file fingerprinted.</summary>
    private static async Task<(double Tool, double Self)> OursBatchedAsync(string dev, List<AudioFixtureTrack> files)
    {
        var children = CpuTime.Children;
        var start = CpuTime.Self;
        var requests = files.Select(f => new AudioDecodeRequest(Path.Combine(dev, f.File), Path.GetExtension(f.File) == ".ogg" ? "ogg" : null)).ToList();
        var decoded = await AudioBatchDecoder.DecodeMonoAsync(requests, AudioFingerprinter.SampleRate, AudioEvaluation.MaxSeconds);
        foreach (var result in decoded)
        {
            GC.KeepAlive(AudioFingerprinter.Compute(result.Samples ?? throw result.Error!));
        }

        return (CpuTime.Children - children, CpuTime.Self - start);
    }

    private static async Task<(double Tool, double Self, double Fingerprint)> OursAsync(string dev, List<AudioFixtureTrack> files)
    {
        double tool = 0, self = 0, compute = 0;
        foreach (var file in files)
        {
            var children = CpuTime.Children;
            var start = CpuTime.Self;
            var samples = await AudioDecoder.DecodeMonoAsync(Path.Combine(dev, file.File), AudioFingerprinter.SampleRate, AudioEvaluation.MaxSeconds);
            var decoded = CpuTime.Self;
            tool += CpuTime.Children - children;
            self += decoded - start;
            var fingerprint = AudioFingerprinter.Compute(samples);
            compute += CpuTime.Self - decoded;
            GC.KeepAlive(fingerprint);
        }

        return (tool, self, compute);
    }
}
