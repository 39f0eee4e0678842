// The sequencer of a C2SP tlog-tiles log: assigns indexes, writes entry bundles and tiles (full and
// partial), signs a tlog-checkpoint and commits it with a compare-and-swap. Structure after Go's
// golang.org/x/mod/sumdb/tlog (StoredHashes, TreeHash), arranged for tiles.
using Atelier.Core;
using Atelier.Transparency.Merkle;
using Atelier.Transparency.Notes;
using Atelier.Transparency.Tiles;

namespace Atelier.Transparency;

/// <summary>The outcome of one appended batch.</summary>
/// <param name="FirstIndex">The index of the batch's first entry; the others follow in order.</param>
/// <param name="Count">How many entries the batch held.</param>
/// <param name="Checkpoint">The new checkpoint, covering every entry of the batch.</param>
/// <param name="SignedCheckpoint">The signed checkpoint note, as published.</param>
public sealed record AppendResult(long FirstIndex, int Count, Checkpoint Checkpoint, byte[] SignedCheckpoint);

/// <summary>Raised when another sequencer advanced the log first; the writer reloads before its next append.</summary>
public sealed class LogConflictException(string message) : Exception(message);

/// <summary>Options of <see cref="LogWriter"/>.</summary>
public sealed record LogWriterOptions
{
    /// <summary>Where the log's objects live in the object store.</summary>
    public LogLayout Layout { get; init; } = LogLayout.Default;

    /// <summary>How many tiles and bundles are written at once.</summary>
    public int WriteConcurrency { get; init; } = 8;

    /// <summary>The most entries one <see cref="LogWriter.AppendAsync"/> call takes.</summary>
    public int MaxBatchSize { get; init; } = 100_000;
}

/// <summary>
/// Appends batches of entries to the log. Calls on one writer are serialised. Only one writer may sequence
/// a log at a time: the host must hold a lease (the database's) while it appends. A writer that finds the
/// state moved on before it writes catches up first, but two writers racing within one batch could let the
/// loser overwrite the winner's newest partial tiles before its swap fails (the auditor would report it).
/// Every batch is written in this order, so a crash at any point leaves the published log verifiable:
/// <list type="number">
/// <item>entry bundles and tiles, full and partial, for the new size (new paths, or rewrites of content no
/// checkpoint covers yet);</item>
/// <item>the checkpoint for the new size is signed and committed with
/// <see cref="ILogStateStore.TryAdvanceAsync"/>; only a successful swap publishes it, so the log never
/// publishes two checkpoints of one size and never goes back;</item>
/// <item>the <c>checkpoint</c> object is written for static serving (repaired on the next open if this
/// step is lost).</item>
/// </list>
/// </summary>
public sealed class LogWriter
{
    private readonly IObjectStore _store;
    private readonly ILogStateStore _state;
    private readonly NoteSigner _signer;
    private readonly LogWriterOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TreeEdge? _edge;
    private LogState? _current;
    private bool _published;

    /// <summary>
    /// A writer for the log whose origin is the signer's key name. The signer stays owned by the caller.
    /// </summary>
    public LogWriter(IObjectStore store, ILogStateStore state, NoteSigner signer, LogWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(signer);
        _store = store;
        _state = state;
        _signer = signer;
        _options = options ?? new LogWriterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.WriteConcurrency, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxBatchSize, 1, nameof(options));
    }

    /// <summary>The log's origin (the signer's key name).</summary>
    public string Origin => _signer.Name;

    /// <summary>The public key that verifies this log's checkpoints.</summary>
    public NoteVerifier Verifier => _signer.Verifier;

    /// <summary>
    /// Loads the log's state, starting an empty log (a signed checkpoint of size 0) when there is none, and
    /// checks that the stored partial tiles hash to the checkpoint's root. Called by the first append.
    /// </summary>
    /// <exception cref="LogStorageException">when stored tiles do not match the checkpoint.</exception>
    public async Task<LogState> OpenAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await LoadAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Appends <paramref name="entries"/> in order as one batch and returns their indexes and the signed
    /// checkpoint that covers them. Safe to retry after a failure: nothing is published until the state
    /// advances.
    /// </summary>
    /// <exception cref="LogConflictException">when another writer advanced the log meanwhile.</exception>
    public async Task<AppendResult> AppendAsync(IReadOnlyList<ReadOnlyMemory<byte>> entries, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0 || entries.Count > _options.MaxBatchSize)
        {
            throw new ArgumentException($"a batch holds 1..{_options.MaxBatchSize} entries", nameof(entries));
        }

        foreach (var entry in entries)
        {
            EntryBundle.CheckEntry(entry.Span);
        }

        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_edge is null || _current is null)
            {
                await LoadAsync(ct).ConfigureAwait(false);
            }

            // A writer that fell behind (another process sequenced meanwhile) would overwrite committed
            // partial tiles with its own: check first, and catch up instead. Only the host's sequencing
            // lease closes the remaining window between this check and the swap below.
            var latest = await _state.GetAsync(ct).ConfigureAwait(false);
            if (latest is null || latest.Size != _current!.Size || !latest.SignedCheckpoint.AsSpan().SequenceEqual(_current.SignedCheckpoint))
            {
                await LoadAsync(ct).ConfigureAwait(false);
            }

            var edge = _edge!;
            var oldSize = edge.Size;
            var (next, writes) = Extend(edge, entries);
            var checkpoint = new Checkpoint(Origin, next.Size, next.Root());
            await WriteAllAsync(writes, ct).ConfigureAwait(false);

            // Signed only now, and published only by the swap: a lost race discards it unseen.
            var signed = checkpoint.Sign(_signer);
            var state = new LogState(next.Size, signed);
            if (!await _state.TryAdvanceAsync(oldSize, state, ct).ConfigureAwait(false))
            {
                _edge = null;
                _current = null;
                throw new LogConflictException($"the log moved past size {oldSize} under another writer; reload and retry");
            }

            _edge = next;
            _current = state;
            _published = false;
            // Committed: a cancellation now would make the caller retry and append the batch twice.
            await PublishAsync(CancellationToken.None).ConfigureAwait(false);
            return new AppendResult(oldSize, entries.Count, checkpoint, signed);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<LogState> LoadAsync(CancellationToken ct)
    {
        var state = await _state.GetAsync(ct).ConfigureAwait(false);
        if (state is null)
        {
            var empty = new Checkpoint(Origin, 0, Hash.Empty);
            var first = new LogState(0, empty.Sign(_signer));
            if (!await _state.TryAdvanceAsync(null, first, ct).ConfigureAwait(false))
            {
                // Another process started the log at the same moment; use its state.
                state = await _state.GetAsync(ct).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("the log state store lost the log's first state");
            }
            else
            {
                state = first;
            }
        }

        Checkpoint checkpoint;
        try
        {
            checkpoint = Checkpoint.Open(state.SignedCheckpoint, _signer.Verifier);
        }
        catch (Exception e) when (e is NoteException or FormatException)
        {
            throw new InvalidOperationException($"the log's stored checkpoint does not verify with key {_signer.Verifier.KeyString}: {e.Message}", e);
        }

        if (checkpoint.Size != state.Size)
        {
            throw new InvalidOperationException($"the log state says size {state.Size} but its checkpoint says {checkpoint.Size}");
        }

        var edge = await ReadEdgeAsync(state.Size, ct).ConfigureAwait(false);
        if (edge.Root() != checkpoint.RootHash)
        {
            throw new LogStorageException(_options.Layout.CheckpointKey, $"the stored partial tiles of size {state.Size} do not hash to the checkpoint's root; run the log auditor");
        }

        _edge = edge;
        _current = state;
        _published = false;
        await PublishAsync(ct).ConfigureAwait(false);
        return state;
    }

    private async Task<TreeEdge> ReadEdgeAsync(long size, CancellationToken ct)
    {
        var reader = new TileHashReader(_store, size, _options.Layout);
        var levels = LogLayout.LevelCount(size);
        var partials = new List<List<Hash>>(levels);
        for (var level = 0; level < levels; level++)
        {
            var width = LogLayout.PartialWidth(size, level);
            partials.Add(width == 0
                ? []
                : [.. await reader.ReadTileAsync(TilePath.Tile(level, LogLayout.FullTileCount(size, level), width), ct).ConfigureAwait(false)]);
        }

        var entryWidth = LogLayout.PartialWidth(size, 0);
        var entries = new List<ReadOnlyMemory<byte>>();
        if (entryWidth > 0)
        {
            var bundle = TilePath.Entries(LogLayout.FullTileCount(size, 0), entryWidth);
            var key = _options.Layout.Key(bundle);
            var bytes = await _store.GetObjectAsync(key, ct).ConfigureAwait(false)
                ?? throw new LogStorageException(key, "the partial entry bundle is missing");
            try
            {
                entries.AddRange(EntryBundle.Decode(bytes, entryWidth));
            }
            catch (FormatException e)
            {
                throw new LogStorageException(key, e.Message);
            }

            for (var i = 0; i < entryWidth; i++)
            {
                if (Hash.Leaf(entries[i].Span) != partials[0][i])
                {
                    throw new LogStorageException(key, $"entry {bundle.StartEntry + i} does not match its leaf hash in the level-0 tile; run the log auditor");
                }
            }
        }

        return new TreeEdge(size, partials, entries);
    }

    /// <summary>The edge after appending, and every tile and bundle that must be written for it.</summary>
    private static (TreeEdge Edge, List<(TilePath Path, byte[] Data)> Writes) Extend(TreeEdge edge, IReadOnlyList<ReadOnlyMemory<byte>> entries)
    {
        var oldSize = edge.Size;
        var newSize = oldSize + entries.Count;
        var writes = new List<(TilePath, byte[])>();

        // Entry bundles: the old partial bundle's entries, then the new ones, cut at tile boundaries.
        var pending = new List<ReadOnlyMemory<byte>>(edge.PartialEntries);
        var bundleIndex = LogLayout.FullTileCount(oldSize, 0);
        foreach (var entry in entries)
        {
            pending.Add(entry);
            if (pending.Count == TilePath.FullWidth)
            {
                writes.Add((TilePath.Entries(bundleIndex++), EntryBundle.Encode(pending)));
                pending.Clear();
            }
        }

        if (pending.Count > 0)
        {
            writes.Add((TilePath.Entries(bundleIndex, pending.Count), EntryBundle.Encode(pending)));
        }

        // Hash tiles: level 0 takes the leaf hashes; each tile a level fills sends its root one level up.
        var partials = edge.PartialHashes.Select(p => new List<Hash>(p)).ToList();
        var incoming = entries.Select(e => Hash.Leaf(e.Span)).ToList();
        Span<Hash> scratch = new Hash[TilePath.FullWidth];
        for (var level = 0; incoming.Count > 0; level++)
        {
            if (partials.Count == level)
            {
                partials.Add([]);
            }

            var partial = partials[level];
            var tileIndex = LogLayout.FullTileCount(oldSize, level);
            var next = new List<Hash>();
            foreach (var hash in incoming)
            {
                partial.Add(hash);
                if (partial.Count == TilePath.FullWidth)
                {
                    writes.Add((TilePath.Tile(level, tileIndex++), Hash.Concat(partial.ToArray())));
                    partial.CopyTo(scratch);
                    next.Add(MerkleTree.ReduceInPlace(scratch));
                    partial.Clear();
                }
            }

            if (partial.Count > 0)
            {
                writes.Add((TilePath.Tile(level, tileIndex, partial.Count), Hash.Concat(partial.ToArray())));
            }

            incoming = next;
        }

        return (new TreeEdge(newSize, partials, pending), writes);
    }

    private async Task WriteAllAsync(List<(TilePath Path, byte[] Data)> writes, CancellationToken ct)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.WriteConcurrency, CancellationToken = ct };
        await Parallel.ForEachAsync(writes, parallel, async (write, token) =>
            await _store.PutObjectAsync(_options.Layout.Key(write.Path), write.Data, token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the committed checkpoint to the object store for static serving. The commit already
    /// happened, so a failure here must not fail the append (a retry would append twice): the next append
    /// or open writes it again.
    /// </summary>
    private async Task PublishAsync(CancellationToken ct)
    {
        if (_published || _current is null)
        {
            return;
        }

        try
        {
            var key = _options.Layout.CheckpointKey;
            var stored = await _store.GetObjectAsync(key, ct).ConfigureAwait(false);
            if (stored is null || !stored.AsSpan().SequenceEqual(_current.SignedCheckpoint))
            {
                await _store.PutObjectAsync(key, _current.SignedCheckpoint, ct).ConfigureAwait(false);
            }

            _published = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Left unpublished on purpose; the state store holds the committed checkpoint.
            _published = false;
        }
    }
}
