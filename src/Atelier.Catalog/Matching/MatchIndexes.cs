using System.Runtime.CompilerServices;
using Atelier.Core;

namespace Atelier.Catalog.Matching;

/// <summary>
/// The in-memory match indexes over registered works, rebuilt from the database on first use and kept
/// current as works are imported or deleted in this process (../shared/DESIGN.md "Scale").
/// </summary>
public sealed class MatchIndexes : IDisposable
{
    private readonly FingerprintIndex _index = new();

    public Fingerprints.Image.ImageMatchIndex Images => _index.Images;
    public Fingerprints.Text.TextIndex Texts => _index.Texts;
    public Fingerprints.Audio.AudioIndex Audio => _index.Audio;

    /// <summary>Loads every live work's fingerprints once; later calls return at once.</summary>
    public Task EnsureLoadedAsync(IFingerprintStore store, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return _index.EnsureLoadedAsync(algorithm => ListAsync(store, algorithm, ct), ct);
    }

    /// <summary>Adds a newly registered work (a no-op until the indexes are loaded: loading will include it).</summary>
    public void Add(string workId, QueryFingerprints fingerprints) => _index.Add(workId, fingerprints);

    public void Remove(string workId) => _index.Remove(workId);

    public void Dispose() => _index.Dispose();

    private static async IAsyncEnumerable<(string, byte[])> ListAsync(IFingerprintStore store, string algorithm, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var fp in store.ListFingerprintsAsync(algorithm, ct).ConfigureAwait(false))
        {
            yield return (fp.WorkId, fp.Data);
        }
    }
}
