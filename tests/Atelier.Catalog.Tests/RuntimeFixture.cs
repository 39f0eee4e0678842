using Atelier.Testing;

namespace Atelier.Catalog.Tests;

/// <summary>A real runtime (SQLite file, blob folder) in a fresh temp data directory.</summary>
public sealed class TestRuntime : IAsyncDisposable
{
    private TestRuntime(TempDirectory dir, AtelierRuntime runtime)
    {
        Dir = dir;
        Runtime = runtime;
    }

    public TempDirectory Dir { get; }
    public AtelierRuntime Runtime { get; }

    public static async Task<TestRuntime> CreateAsync(long maxUploadBytes = AtelierSettings.DefaultMaxUploadBytes, double maxAudioSeconds = AtelierSettings.DefaultMaxAudioSeconds)
    {
        var dir = new TempDirectory("atelier-catalog");
        var settings = new AtelierSettings { DataDirectory = dir.Combine("data"), MaxUploadBytes = maxUploadBytes, MaxAudioSeconds = maxAudioSeconds };
        var runtime = await AtelierRuntime.OpenAsync(settings);
        runtime.Log.StartSequencer();
        return new TestRuntime(dir, runtime);
    }

    public static byte[] Jpeg(int size, int seed)
    {
        using var noise = NetVips.Image.Gaussnoise(size, size, mean: 128, sigma: 40 + seed);
        using var rgb = noise.Bandjoin(noise, noise).Cast(NetVips.Enums.BandFormat.Uchar);
        return rgb.WriteToBuffer(".jpg[Q=90]");
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        Dir.Dispose();
    }
}
