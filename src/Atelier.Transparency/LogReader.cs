using Atelier.Core;
using Atelier.Transparency.Merkle;
using Atelier.Transparency.Notes;
using Atelier.Transparency.Receipts;
using Atelier.Transparency.Tiles;

namespace Atelier.Transparency;

/// <summary>A public log object ready to serve.</summary>
/// <param name="Data">The bytes.</param>
/// <param name="ContentType">The media type tlog-tiles prescribes.</param>
/// <param name="Immutable">True for tiles and bundles (cache for long), false for the checkpoint (cache for seconds).</param>
public sealed record LogObject(byte[] Data, string ContentType, bool Immutable);

/// <summary>
/// Reads the log for the CLI and the server: public objects in the tlog-tiles layout, entries, receipts
/// and consistency proofs, always bounded by the latest committed checkpoint.
/// </summary>
public sealed class LogReader
{
    private readonly IObjectStore _store;
    private readonly ILogStateStore _state;
    private readonly LogLayout _layout;

    /// <summary>A reader over the log kept in <paramref name="store"/> with state in <paramref name="state"/>.</summary>
    public LogReader(IObjectStore store, ILogStateStore state, LogLayout? layout = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(state);
        _store = store;
        _state = state;
        _layout = layout ?? LogLayout.Default;
    }

    /// <summary>The latest committed state; null when the log was never started.</summary>
    public Task<LogState?> GetStateAsync(CancellationToken ct = default) => _state.GetAsync(ct);

    /// <summary>
    /// The object at a public path relative to the log's root (<c>checkpoint</c>, <c>tile/L/N[.p/W]</c> or
    /// <c>tile/entries/N[.p/W]</c>), or null when the path is malformed, absent, or beyond the latest
    /// checkpoint (tiles past it may still change after a crash and must not be cached by anyone).
    /// </summary>
    public async Task<LogObject?> ReadPublicAsync(string path, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var state = await _state.GetAsync(ct).ConfigureAwait(false);
        if (state is null)
        {
            return null;
        }

        if (path == LogLayout.CheckpointName)
        {
            return new LogObject(state.SignedCheckpoint, "text/plain; charset=utf-8", Immutable: false);
        }

        if (!TilePath.TryParse(path, out var tile) || !LogLayout.Covers(state.Size, tile))
        {
            return null;
        }

        var data = await _store.GetObjectAsync(_layout.Key(tile), ct).ConfigureAwait(false);
        return data is null ? null : new LogObject(data, "application/octet-stream", Immutable: true);
    }

    /// <summary>The bytes of entry <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">when the latest checkpoint does not cover the index.</exception>
    public async Task<byte[]> ReadEntryAsync(long index, CancellationToken ct = default)
    {
        var state = await RequireStateAsync(ct).ConfigureAwait(false);
        return await ReadEntryAsync(index, state.Size, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A receipt for entry <paramref name="index"/> against <paramref name="signedCheckpoint"/> (one of this
    /// log's checkpoints, for example the one <see cref="LogBatcher"/> returned), or against the latest
    /// checkpoint when null.
    /// </summary>
    public async Task<Receipt> ProveAsync(long index, byte[]? signedCheckpoint = null, CancellationToken ct = default)
    {
        var state = await RequireStateAsync(ct).ConfigureAwait(false);
        signedCheckpoint ??= state.SignedCheckpoint;
        var checkpoint = Checkpoint.Parse(SignedNote.Parse(signedCheckpoint).Text);
        if (checkpoint.Size > state.Size)
        {
            throw new ArgumentException($"the checkpoint of size {checkpoint.Size} is newer than the log's state ({state.Size})", nameof(signedCheckpoint));
        }

        if (index < 0 || index >= checkpoint.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"entry {index} is not covered by the checkpoint of size {checkpoint.Size}");
        }

        var entry = await ReadEntryAsync(index, state.Size, ct).ConfigureAwait(false);
        var reader = new TileHashReader(_store, state.Size, _layout);
        var proof = await MerkleTree.ProveInclusionAsync(index, checkpoint.Size, reader, ct).ConfigureAwait(false);
        return new Receipt(index, proof, signedCheckpoint, entry);
    }

    /// <summary>The consistency proof from size <paramref name="size1"/> to <paramref name="size2"/>, both within the latest checkpoint.</summary>
    public async Task<Hash[]> ProveConsistencyAsync(long size1, long size2, CancellationToken ct = default)
    {
        var state = await RequireStateAsync(ct).ConfigureAwait(false);
        if (size2 > state.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(size2), $"size {size2} is beyond the log's {state.Size} entries");
        }

        return await MerkleTree.ProveConsistencyAsync(size1, size2, new TileHashReader(_store, state.Size, _layout), ct).ConfigureAwait(false);
    }

    /// <summary>The root hash of the tree of <paramref name="size"/> entries, from stored tiles.</summary>
    public async Task<Hash> TreeHashAsync(long size, CancellationToken ct = default)
    {
        var state = await RequireStateAsync(ct).ConfigureAwait(false);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, state.Size);
        return await MerkleTree.TreeHashAsync(size, new TileHashReader(_store, state.Size, _layout), ct).ConfigureAwait(false);
    }

    private async Task<byte[]> ReadEntryAsync(long index, long size, CancellationToken ct)
    {
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"entry {index} is outside the log's {size} entries");
        }

        var bundle = LogLayout.TileAt(size, 0, index / TilePath.FullWidth, entries: true)!.Value;
        var key = _layout.Key(bundle);
        var bytes = await _store.GetObjectAsync(key, ct).ConfigureAwait(false) ?? throw new LogStorageException(key, "the entry bundle is missing");
        try
        {
            return EntryBundle.Decode(bytes, bundle.Width)[(int)(index % TilePath.FullWidth)].ToArray();
        }
        catch (FormatException e)
        {
            throw new LogStorageException(key, e.Message);
        }
    }

    private async Task<LogState> RequireStateAsync(CancellationToken ct)
        => await _state.GetAsync(ct).ConfigureAwait(false) ?? throw new InvalidOperationException("the log has not been started");
}
