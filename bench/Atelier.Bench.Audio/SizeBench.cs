using System.Globalization;
using Atelier.Fingerprints.Audio;
using Atelier.Fingerprints.Tests.Audio;

namespace Atelier.Bench.Audio;

/// <summary>
/// Index and stored-fingerprint bytes per hour of audio, on the whole dev corpus (107 tracks, 4.6 h). The
/// index's own count (<see cref="AudioIndex.MemoryBytes"/>) is checked against the managed heap's growth.
/// </summary>
public static class SizeBench
{
    public static async Task RunAsync()
    {
        var dev = BenchData.DevDirectory;
        var corpus = AudioFixtures.ReadCorpus(dev);
        var set = new AudioFixtureSet(AudioFixtures.DefaultDirectory(), dev, corpus, []);
        var fingerprints = await AudioEvaluation.FingerprintTracksAsync(set, corpus);
        var hours = fingerprints.Sum(f => f.Value.DurationSeconds) / 3600;
        var stored = fingerprints.Sum(f => (long)f.Value.ToBytes().Length);
        var peaks = fingerprints.Sum(f => (long)f.Value.Peaks.Length);

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var index = new AudioIndex();
        index.AddRange(fingerprints);
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            {fingerprints.Count} tracks, {hours:F2} h of audio ({index.IndexedSeconds / 3600:F2} h indexed)
            peaks:                   {peaks / (hours * 3600):F1} per second of audio
            stored fingerprints:     {stored / hours / 1e6:F3} MB per hour (ToBytes, {stored / 1e6:F2} MB in all)
            index (MemoryBytes):     {index.MemoryBytes / (index.IndexedSeconds / 3600) / 1e6:F3} MB per hour ({index.MemoryBytes / 1e6:F2} MB in all; issue 5: at most 2 MB per hour)
            managed heap growth:     {(heapAfter - heapBefore) / hours / 1e6:F3} MB per hour (the index and anything it keeps)
            """));
        GC.KeepAlive(fingerprints);
    }
}
