using Atelier.Core;
using Atelier.Testing;

namespace Atelier.Catalog.Tests.Matching;

/// <summary>
/// One catalog holding two synthesised recordings, shared by the audio match tests (imported once, on
/// first use, so a machine without ffmpeg skips the tests instead of failing the fixture).
/// </summary>
public sealed class AudioCatalog : IAsyncDisposable
{
    /// <summary>Length of each registered recording.</summary>
    public const double WorkSeconds = 30;

    public const int HarbourSeed = 501;
    public const int TrainSeed = 502;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private TestRuntime? _runtime;

    public TestRuntime T => _runtime ?? throw new InvalidOperationException("call ReadyAsync first");
    public string HarbourWav => T.Dir.Combine("harbour-song.wav");
    public string TrainWav => T.Dir.Combine("night-train.wav");
    public Work Harbour { get; private set; } = null!;
    public Work Train { get; private set; } = null!;

    /// <summary>Skips the calling test without ffmpeg; otherwise imports the two works once.</summary>
    public async Task<AudioCatalog> ReadyAsync()
    {
        AudioFixtures.RequireFfmpeg();
        await _gate.WaitAsync();
        try
        {
            if (_runtime is not null)
            {
                return this;
            }

            var t = await TestRuntime.CreateAsync();
            try
            {
                _runtime = t;
                AudioFixtures.WriteWav(HarbourWav, AudioFixtures.Music(HarbourSeed, WorkSeconds));
                AudioFixtures.WriteWav(TrainWav, AudioFixtures.Music(TrainSeed, WorkSeconds));
                Harbour = await ImportAsync(HarbourWav, "Harbour Song");
                Train = await ImportAsync(TrainWav, "夜行列车 Night Train");
                return this;
            }
            catch
            {
                _runtime = null;
                await t.DisposeAsync();
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Work> ImportAsync(string path, string title)
    {
        var outcome = await T.Runtime.Import.ImportFileAsync(path, new ImportRequest { Title = title, Actor = "test" }, 1 << 30);
        Assert.True(outcome.Status == ImportStatus.Imported, outcome.Error);
        await T.Runtime.Import.WaitForRegistrationAsync(outcome);
        return outcome.Work!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_runtime is not null)
        {
            await _runtime.DisposeAsync();
        }

        _gate.Dispose();
    }
}
