using Atelier.Core;
using Atelier.Fingerprints.Image;
using Atelier.Fingerprints.Text;

namespace Atelier.Catalog.Matching;

/// <summary>
/// The in-memory match indexes, rebuilt from the database at start and kept current as works are
/// imported or deleted in this process (../shared/DESIGN.md "Scale").
/// </summary>
public sealed class MatchIndexes : IDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private bool _loaded;

    public ImageMatchIndex Images { get; } = new();
    public TextIndex Texts { get; } = new();

    /// <summary>Loads every live work's fingerprints once; later calls return at once.</summary>
    public async Task EnsureLoadedAsync(IFingerprintStore store, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (_loaded)
        {
            return;
        }

        await _loading.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_loaded)
            {
                return;
            }

            await foreach (var fp in store.ListFingerprintsAsync(FingerprintService.ImageAlgorithm, ct).ConfigureAwait(false))
            {
                Images.Add(fp.WorkId, ImageFingerprint.FromBytes(fp.Data));
            }

            var texts = new List<KeyValuePair<string, TextFingerprintSet>>();
            await foreach (var fp in store.ListFingerprintsAsync(FingerprintService.TextAlgorithm, ct).ConfigureAwait(false))
            {
                texts.Add(new(fp.WorkId, TextFingerprintSet.FromBytes(fp.Data)));
            }

            Texts.AddRange(texts);
            _loaded = true;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Adds a newly registered work (a no-op until the indexes are loaded: loading will include it).</summary>
    public void Add(string workId, QueryFingerprints fingerprints)
    {
        ArgumentNullException.ThrowIfNull(fingerprints);
        if (!_loaded)
        {
            return;
        }

        if (fingerprints.Image is not null)
        {
            Images.Add(workId, fingerprints.Image);
        }

        if (fingerprints.Text is not null)
        {
            Texts.Add(workId, fingerprints.Text.Fingerprints);
        }
    }

    public void Remove(string workId)
    {
        Images.Remove(workId);
        Texts.Remove(workId);
    }

    public void Dispose()
    {
        Images.Dispose();
        Texts.Dispose();
        _loading.Dispose();
    }
}
