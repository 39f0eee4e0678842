using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Atelier.Core;
using Atelier.Transparency.Merkle;
using Atelier.Transparency.Tiles;
using BenchmarkDotNet.Attributes;

namespace Atelier.Bench.Transparency;

/// <summary>
/// Inclusion proofs in a large log (<see cref="LogSize"/> entries), built from tiles the way the server
/// builds them: a fresh <see cref="TileHashReader"/> per proof over an object store.
/// </summary>
public class ProofBenchmarks
{
    private const int Samples = 1024;
    private SyntheticTileStore _store = null!;
    private long[] _indexes = [];
    private Hash[][] _proofs = [];
    private Hash _root;
    private int _next;

    [Params(10_000_000)]
    public long LogSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _store = new SyntheticTileStore(LogSize);
        var random = new Random(42);
        _indexes = [.. Enumerable.Range(0, Samples).Select(_ => random.NextInt64(LogSize))];
        var reader = new TileHashReader(_store, LogSize);
        _root = MerkleTree.TreeHashAsync(LogSize, reader).AsTask().GetAwaiter().GetResult();
        _proofs = [.. _indexes.Select(i => MerkleTree.ProveInclusionAsync(i, LogSize, reader).AsTask().GetAwaiter().GetResult())];
    }

    [Benchmark]
    public async Task<int> ProveInclusion()
    {
        var index = _indexes[_next++ % Samples];
        var proof = await MerkleTree.ProveInclusionAsync(index, LogSize, new TileHashReader(_store, LogSize));
        return proof.Length;
    }

    [Benchmark]
    public void CheckInclusion()
    {
        var i = _next++ % Samples;
        MerkleTree.CheckInclusion(SyntheticTileStore.LeafHash(_indexes[i]), _indexes[i], LogSize, _proofs[i], _root);
    }

    /// <summary>
    /// The tiles of a log whose entry i is its own 8-byte big-endian index. Level 1 and up are computed
    /// once (every leaf hashed: the slow part of setup); level 0 tiles are computed when first read.
    /// </summary>
    private sealed class SyntheticTileStore : IObjectStore
    {
        private readonly long _size;
        private readonly List<Hash[]> _levels = [];
        private readonly ConcurrentDictionary<long, byte[]> _level0 = new();

        public SyntheticTileStore(long size)
        {
            _size = size;
            var level1 = new Hash[LogLayout.HashCount(size, 1)];
            Parallel.For(0, level1.Length, n =>
            {
                var hashes = LeafHashes(n * TilePath.FullWidth, TilePath.FullWidth);
                level1[n] = MerkleTree.RootOf(hashes);
            });
            _levels.Add([]);
            _levels.Add(level1);
            for (var level = 2; LogLayout.HashCount(size, level) > 0; level++)
            {
                var below = _levels[level - 1];
                _levels.Add([.. Enumerable.Range(0, (int)LogLayout.HashCount(size, level)).Select(n => MerkleTree.RootOf(below.AsSpan(n * TilePath.FullWidth, TilePath.FullWidth)))]);
            }
        }

        public static Hash LeafHash(long index)
        {
            Span<byte> entry = stackalloc byte[8];
            BinaryPrimitives.WriteInt64BigEndian(entry, index);
            return Hash.Leaf(entry);
        }

        public Task<byte[]?> GetObjectAsync(string key, CancellationToken ct = default)
        {
            if (!TilePath.TryParse(key.AsSpan(LogLayout.DefaultPrefix.Length), out var tile) || tile.IsEntries || !LogLayout.Covers(_size, tile))
            {
                return Task.FromResult<byte[]?>(null);
            }

            if (tile.Level == 0)
            {
                var full = _level0.GetOrAdd(tile.Index, n => Bytes(LeafHashes(n * TilePath.FullWidth, (int)Math.Min(TilePath.FullWidth, _size - (n * TilePath.FullWidth)))));
                return Task.FromResult<byte[]?>(full[..tile.HashTileByteLength]);
            }

            var hashes = _levels[tile.Level].AsSpan((int)tile.FirstHashIndex, tile.Width);
            return Task.FromResult<byte[]?>(Bytes(hashes.ToArray()));
        }

        public Task PutObjectAsync(string key, ReadOnlyMemory<byte> data, CancellationToken ct = default) => throw new NotSupportedException();

        public Task<bool> DeleteObjectAsync(string key, CancellationToken ct = default) => throw new NotSupportedException();

        public IAsyncEnumerable<string> ListObjectsAsync(string prefix, CancellationToken ct = default) => throw new NotSupportedException();

        private static byte[] Bytes(Hash[] hashes) => MemoryMarshal.AsBytes(hashes.AsSpan()).ToArray();

        private static Hash[] LeafHashes(long start, int count) => [.. Enumerable.Range(0, count).Select(i => LeafHash(start + i))];
    }
}
