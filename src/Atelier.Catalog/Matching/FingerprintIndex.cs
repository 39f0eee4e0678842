using Atelier.Fingerprints.Audio;
using Atelier.Fingerprints.Image;
using Atelier.Fingerprints.Text;

namespace Atelier.Catalog.Matching;

/// <summary>
/// An image, a text and an audio index over one kind of key (works, or kept suspects), loaded once from a
/// database stream of stored fingerprints and then kept current by the process that writes.
/// </summary>
public sealed class FingerprintIndex : IDisposable
{
    /// <summary>
    /// Recordings handed to <see cref="AudioIndex.AddRange"/> at once while loading: batches keep most of its
    /// speed without holding every decoded fingerprint of a large catalog in memory beside the index.
    /// </summary>
    private const int AudioLoadBatch = 256;

    private readonly SemaphoreSlim _loading = new(1, 1);
    private AudioIndex? _audio;
    private object? _audioGate;

    public ImageMatchIndex Images { get; } = new();
    public TextIndex Texts { get; } = new();

    /// <summary>Made on first use, so a catalog without recordings never allocates the audio index's tables.</summary>
    public AudioIndex Audio => LazyInitializer.EnsureInitialized(ref _audio, ref _audioGate, () => new AudioIndex());

    /// <summary>True once <see cref="EnsureLoadedAsync"/> has run; before that, adds are left to the load.</summary>
    public bool Loaded { get; private set; }

    /// <summary>
    /// Loads every stored fingerprint once; later calls return at once. <paramref name="list"/> streams the
    /// (key, bytes) pairs of one algorithm.
    /// </summary>
    public async Task EnsureLoadedAsync(Func<string, IAsyncEnumerable<(string Key, byte[] Data)>> list, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(list);
        if (Loaded)
        {
            return;
        }

        await _loading.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Loaded)
            {
                return;
            }

            await foreach (var (key, data) in list(FingerprintService.ImageAlgorithm).WithCancellation(ct).ConfigureAwait(false))
            {
                Images.Add(key, ImageFingerprint.FromBytes(data));
            }

            var texts = new List<KeyValuePair<string, TextFingerprintSet>>();
            await foreach (var (key, data) in list(FingerprintService.TextAlgorithm).WithCancellation(ct).ConfigureAwait(false))
            {
                texts.Add(new(key, TextFingerprintSet.FromBytes(data)));
            }

            Texts.AddRange(texts);

            var recordings = new List<KeyValuePair<string, AudioFingerprint>>(AudioLoadBatch);
            await foreach (var (key, data) in list(FingerprintService.AudioAlgorithm).WithCancellation(ct).ConfigureAwait(false))
            {
                recordings.Add(new(key, AudioFingerprint.FromBytes(data)));
                if (recordings.Count == AudioLoadBatch)
                {
                    Audio.AddRange(recordings);
                    recordings.Clear();
                }
            }

            if (recordings.Count > 0)
            {
                Audio.AddRange(recordings);
            }

            // Loading in batches leaves several large segments; one answers each lookup with one bucket read.
            Audio.Optimize();
            Loaded = true;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Adds one entry (a no-op until loaded: the load will include it from the database).</summary>
    public void Add(string key, QueryFingerprints fingerprints)
    {
        ArgumentNullException.ThrowIfNull(fingerprints);
        if (!Loaded)
        {
            return;
        }

        if (fingerprints.Image is not null)
        {
            Images.Add(key, fingerprints.Image);
        }

        if (fingerprints.Text is not null)
        {
            Texts.Add(key, fingerprints.Text.Fingerprints);
        }

        if (fingerprints.Audio is not null)
        {
            Audio.Add(key, fingerprints.Audio);
        }
    }

    public void Remove(string key)
    {
        Images.Remove(key);
        Texts.Remove(key);
        _audio?.Remove(key);
    }

    public void Dispose()
    {
        Images.Dispose();
        Texts.Dispose();
        _audio?.Dispose();
        _loading.Dispose();
    }
}
