// A full audit of a C2SP tlog-tiles log: every entry bundle re-hashed (RFC 6962 §2.1 leaf hashes), every
// tile recomputed from the level below and compared with what is stored, and the root compared with the
// signed checkpoint (tlog-checkpoint). Disagreements are blamed on the object the signed root disproves.
using Atelier.Core;
using Atelier.Transparency.Merkle;
using Atelier.Transparency.Notes;
using Atelier.Transparency.Tiles;

namespace Atelier.Transparency.Audit;

/// <summary>One discrepancy: the object at fault and, where one applies, the first log entry it concerns.</summary>
/// <param name="Path">The object key (tile, bundle or checkpoint).</param>
/// <param name="Index">The log index of the first entry the faulty hash or entry covers; null for whole-object problems.</param>
/// <param name="Message">What is wrong.</param>
public sealed record AuditProblem(string Path, long? Index, string Message);

/// <summary>The result of an audit.</summary>
public sealed record AuditReport(Checkpoint? Checkpoint, long EntriesChecked, long TilesChecked, IReadOnlyList<AuditProblem> Problems)
{
    /// <summary>True when the log is intact.</summary>
    public bool Ok => Problems.Count == 0;
}

/// <summary>Re-reads and re-hashes a whole log from its object store.</summary>
public sealed class LogAuditor
{
    /// <summary>The most problems one report lists.</summary>
    public const int MaxProblems = 1000;

    private readonly IObjectStore _store;
    private readonly NoteVerifier _verifier;
    private readonly LogLayout _layout;

    /// <summary>An auditor for the log signed by <paramref name="verifier"/>.</summary>
    public LogAuditor(IObjectStore store, NoteVerifier verifier, LogLayout? layout = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(verifier);
        _store = store;
        _verifier = verifier;
        _layout = layout ?? LogLayout.Default;
    }

    /// <summary>
    /// Audits the log up to <paramref name="signedCheckpoint"/> (the state store's latest is best), or up to
    /// the published <c>checkpoint</c> object when null.
    /// </summary>
    public async Task<AuditReport> AuditAsync(byte[]? signedCheckpoint = null, CancellationToken ct = default)
    {
        var run = new Run(this, ct);
        return await run.ExecuteAsync(signedCheckpoint).ConfigureAwait(false);
    }

    /// <summary>
    /// Proves from the stored tiles that the newer checkpoint extends the older one, checks the proof, and
    /// returns it. Both checkpoints must be signed by the log's key.
    /// </summary>
    /// <exception cref="InvalidProofException">when the log forked between the two checkpoints or its tiles are wrong.</exception>
    public async Task<Hash[]> CheckConsistencyAsync(byte[] olderSignedCheckpoint, byte[] newerSignedCheckpoint, CancellationToken ct = default)
    {
        var older = Checkpoint.Open(olderSignedCheckpoint, _verifier);
        var newer = Checkpoint.Open(newerSignedCheckpoint, _verifier);
        if (older.Size > newer.Size)
        {
            (older, newer) = (newer, older);
        }

        if (older.Size == 0)
        {
            // Every tree extends the empty tree; only its root can be wrong.
            return older.RootHash == Hash.Empty ? [] : throw new InvalidProofException("the empty checkpoint's root is not the empty tree hash");
        }

        var reader = new TileHashReader(_store, newer.Size, _layout);
        var proof = await MerkleTree.ProveConsistencyAsync(older.Size, newer.Size, reader, ct).ConfigureAwait(false);
        MerkleTree.CheckConsistency(older.Size, newer.Size, older.RootHash, newer.RootHash, proof);
        return proof;
    }

    /// <summary>A stored hash that differs from the hash recomputed from the entries.</summary>
    private readonly record struct Mismatch(TilePath Tile, int Position, Hash Recomputed, Hash Stored);

    /// <summary>The state of one audit.</summary>
    private sealed class Run(LogAuditor auditor, CancellationToken ct)
    {
        private readonly List<AuditProblem> _problems = [];
        private readonly List<Mismatch> _mismatches = [];
        private readonly List<List<Hash>> _pending = [];
        private readonly List<IReadOnlyList<Hash>> _storedPartials = [];
        private readonly Dictionary<TilePath, bool> _authentic = [];
        private readonly Dictionary<int, long> _closed = [];
        private long _size;
        private long _entries;
        private long _tiles;
        private Hash _storedRoot;
        private Hash _signedRoot;

        public async Task<AuditReport> ExecuteAsync(byte[]? signedCheckpoint)
        {
            var checkpoint = await ReadCheckpointAsync(signedCheckpoint).ConfigureAwait(false);
            if (checkpoint is null)
            {
                return Report(null);
            }

            _size = checkpoint.Size;
            _signedRoot = checkpoint.RootHash;
            var bundles = LogLayout.FullTileCount(_size, 0) + (LogLayout.PartialWidth(_size, 0) > 0 ? 1 : 0);
            for (long n = 0; n < bundles; n++)
            {
                await AuditBundleAsync(n).ConfigureAwait(false);
            }

            // The partial tiles of every level close the recomputation.
            for (var level = 1; level < LogLayout.LevelCount(_size); level++)
            {
                if (_pending.Count <= level)
                {
                    _pending.Add([]);
                }

                var width = LogLayout.PartialWidth(_size, level);
                var stored = width == 0 ? [] : await CompareAsync(TilePath.Tile(level, LogLayout.FullTileCount(_size, level), width), _pending[level]).ConfigureAwait(false);
                SetStoredPartial(level, stored ?? [.. _pending[level]]);
            }

            var recomputedRoot = TreeEdge.RootFromPartials(_pending.Take(LogLayout.LevelCount(_size)).ToList());
            _storedRoot = TreeEdge.RootFromPartials(_storedPartials);
            await AttributeAsync(recomputedRoot).ConfigureAwait(false);
            return Report(checkpoint);
        }

        private async Task<Checkpoint?> ReadCheckpointAsync(byte[]? signedCheckpoint)
        {
            var key = auditor._layout.CheckpointKey;
            signedCheckpoint ??= await auditor._store.GetObjectAsync(key, ct).ConfigureAwait(false);
            if (signedCheckpoint is null)
            {
                Add(key, null, "the checkpoint is missing");
                return null;
            }

            try
            {
                return Checkpoint.Open(signedCheckpoint, auditor._verifier);
            }
            catch (Exception e) when (e is NoteException or FormatException)
            {
                Add(key, null, "the checkpoint does not verify: " + e.Message);
            }

            // Audit the tiles against the unsigned root anyway, so the report still locates damage.
            try
            {
                return Checkpoint.Parse(SignedNote.Parse(signedCheckpoint).Text);
            }
            catch (Exception e) when (e is NoteException or FormatException)
            {
                return null;
            }
        }

        private async Task AuditBundleAsync(long n)
        {
            var bundle = LogLayout.TileAt(_size, 0, n, entries: true)!.Value;
            var tile = LogLayout.TileAt(_size, 0, n)!.Value;
            var stored = await ReadTileAsync(tile).ConfigureAwait(false);
            var leaves = await ReadLeavesAsync(bundle).ConfigureAwait(false);
            _entries += bundle.Width;
            if (leaves is not null && stored is not null)
            {
                for (var i = 0; i < leaves.Length; i++)
                {
                    if (leaves[i] != stored[i])
                    {
                        _mismatches.Add(new Mismatch(tile, i, leaves[i], stored[i]));
                    }
                }
            }

            // Without the entries, the stored leaf hashes stand in so the levels above can still be checked.
            var hashes = leaves ?? stored ?? new Hash[bundle.Width];
            if (tile.IsPartial)
            {
                SetStoredPartial(0, stored ?? hashes);
                Pending(0).AddRange(hashes);
                return;
            }

            await PushAsync(1, MerkleTree.ReduceInPlace(hashes.ToArray())).ConfigureAwait(false);
        }

        /// <summary>Adds one recomputed hash at tile level <paramref name="level"/>, closing full tiles as they fill.</summary>
        private async Task PushAsync(int level, Hash hash)
        {
            var pending = Pending(level);
            pending.Add(hash);
            if (pending.Count < TilePath.FullWidth)
            {
                return;
            }

            var index = _closed.GetValueOrDefault(level);
            await CompareAsync(TilePath.Tile(level, index), pending).ConfigureAwait(false);
            var root = MerkleTree.ReduceInPlace(pending.ToArray());
            pending.Clear();
            _closed[level] = index + 1;
            await PushAsync(level + 1, root).ConfigureAwait(false);
        }

        /// <summary>Reads a stored tile and records where it differs from the recomputed hashes.</summary>
        private async Task<Hash[]?> CompareAsync(TilePath tile, List<Hash> recomputed)
        {
            var stored = await ReadTileAsync(tile).ConfigureAwait(false);
            if (stored is not null)
            {
                for (var i = 0; i < stored.Length; i++)
                {
                    if (stored[i] != recomputed[i])
                    {
                        _mismatches.Add(new Mismatch(tile, i, recomputed[i], stored[i]));
                    }
                }
            }

            return stored;
        }

        /// <summary>
        /// Decides who is at fault for each mismatch. When the entries hash to the signed root, the entries
        /// are right and every differing stored hash is corrupt. Otherwise an entry is corrupt where the
        /// stored tile holding its leaf hash is itself proven by the signed root.
        /// </summary>
        private async Task AttributeAsync(Hash recomputedRoot)
        {
            var layout = auditor._layout;
            if (recomputedRoot == _signedRoot)
            {
                foreach (var m in _mismatches)
                {
                    Add(layout.Key(m.Tile), EntryIndex(m), $"stored hash {m.Stored.ToBase64()} should be {m.Recomputed.ToBase64()}, the hash of the entries; the tile is corrupt");
                }

                return;
            }

            if (_storedRoot != _signedRoot)
            {
                Add(layout.CheckpointKey, null, $"neither the entries (root {recomputedRoot.ToBase64()}) nor the stored tiles (root {_storedRoot.ToBase64()}) hash to the signed root {_signedRoot.ToBase64()}");
            }

            foreach (var m in _mismatches)
            {
                var tileAuthentic = await IsAuthenticAsync(m.Tile).ConfigureAwait(false);
                if (m.Tile.Level == 0 && tileAuthentic)
                {
                    var bundle = m.Tile.IsPartial ? TilePath.Entries(m.Tile.Index, m.Tile.Width) : TilePath.Entries(m.Tile.Index);
                    Add(layout.Key(bundle), EntryIndex(m), $"the entry hashes to {m.Recomputed.ToBase64()} but the signed tree holds {m.Stored.ToBase64()}; the bundle is corrupt");
                }
                else if (!tileAuthentic)
                {
                    Add(layout.Key(m.Tile), EntryIndex(m), $"stored hash {m.Stored.ToBase64()} differs from {m.Recomputed.ToBase64()} and the signed root does not vouch for it");
                }

                // An authentic tile above level 0 only differs because an entry below it is corrupt, which is reported there.
            }
        }

        /// <summary>True when the stored tile is proven by the signed root through the stored tiles above it.</summary>
        private async Task<bool> IsAuthenticAsync(TilePath tile)
        {
            if (tile.IsPartial)
            {
                return _storedRoot == _signedRoot;
            }

            if (_authentic.TryGetValue(tile, out var known))
            {
                return known;
            }

            var parent = LogLayout.TileAt(_size, tile.Level + 1, tile.Index / TilePath.FullWidth)!.Value;
            var result = false;
            if (await IsAuthenticAsync(parent).ConfigureAwait(false))
            {
                var stored = await ReadTileAsync(tile, report: false).ConfigureAwait(false);
                var parentHashes = await ReadTileAsync(parent, report: false).ConfigureAwait(false);
                result = stored is not null && parentHashes is not null
                    && MerkleTree.ReduceInPlace(stored) == parentHashes[(int)(tile.Index % TilePath.FullWidth)];
            }

            _authentic[tile] = result;
            return result;
        }

        private async Task<Hash[]?> ReadTileAsync(TilePath tile, bool report = true)
        {
            var key = auditor._layout.Key(tile);
            var bytes = await auditor._store.GetObjectAsync(key, ct).ConfigureAwait(false);
            if (report)
            {
                _tiles++;
            }

            if (bytes is null || bytes.Length != tile.HashTileByteLength)
            {
                if (report)
                {
                    Add(key, tile.StartEntry, bytes is null ? "the tile is missing" : $"the tile has {bytes.Length} bytes, not {tile.HashTileByteLength}");
                }

                return null;
            }

            return Hash.ReadMany(bytes);
        }

        private async Task<Hash[]?> ReadLeavesAsync(TilePath bundle)
        {
            var key = auditor._layout.Key(bundle);
            var bytes = await auditor._store.GetObjectAsync(key, ct).ConfigureAwait(false);
            if (bytes is null)
            {
                Add(key, bundle.StartEntry, "the entry bundle is missing");
                return null;
            }

            try
            {
                return [.. EntryBundle.Decode(bytes, bundle.Width).Select(e => Hash.Leaf(e.Span))];
            }
            catch (FormatException e)
            {
                Add(key, bundle.StartEntry, "the entry bundle is malformed: " + e.Message);
                return null;
            }
        }

        private List<Hash> Pending(int level)
        {
            while (_pending.Count <= level)
            {
                _pending.Add([]);
            }

            return _pending[level];
        }

        private void SetStoredPartial(int level, IReadOnlyList<Hash> hashes)
        {
            while (_storedPartials.Count <= level)
            {
                _storedPartials.Add([]);
            }

            _storedPartials[level] = hashes;
        }

        private static long EntryIndex(Mismatch m) => (m.Tile.FirstHashIndex + m.Position) << m.Tile.HashLevel;

        private void Add(string path, long? index, string message)
        {
            if (_problems.Count < MaxProblems)
            {
                _problems.Add(new AuditProblem(path, index, message));
            }
        }

        private AuditReport Report(Checkpoint? checkpoint) => new(checkpoint, _entries, _tiles, _problems);
    }
}
