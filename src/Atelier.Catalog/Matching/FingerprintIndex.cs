using Atelier.Fingerprints.Image;
using Atelier.Fingerprints.Text;

namespace Atelier.Catalog.Matching;

/// <summary>
/// An image index and a text index over one kind of key (works, or kept suspects), loaded once from a
/// database stream of stored fingerprints and then kept current by the process that writes.
/// </summary>
public sealed class FingerprintIndex : IDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);

    public ImageMatchIndex Images { get; } = new();
    public TextIndex Texts { get; } = new();

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
    }

    public void Remove(string key)
    {
        Images.Remove(key);
        Texts.Remove(key);
    }

    public void Dispose()
    {
        Images.Dispose();
        Texts.Dispose();
        _loading.Dispose();
    }
}
