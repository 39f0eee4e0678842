using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Atelier.Core;

namespace Atelier.Testing;

/// <summary>
/// An <see cref="IObjectStore"/> in memory for tests and benchmarks. Keys are validated like every provider
/// does; data is copied in and out, so callers cannot alter stored objects by accident, only on purpose
/// through <see cref="Replace"/>.
/// </summary>
public sealed class MemoryObjectStore : IObjectStore
{
    private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);
    private int _putCount;

    /// <summary>How many objects are stored.</summary>
    public int Count => _objects.Count;

    /// <summary>How many puts were made.</summary>
    public int PutCount => _putCount;

    /// <summary>A separate store holding copies of every object.</summary>
    public MemoryObjectStore Clone()
    {
        var clone = new MemoryObjectStore();
        foreach (var (key, data) in _objects)
        {
            clone._objects[key] = data.ToArray();
        }

        return clone;
    }

    /// <summary>Replaces an object's bytes directly (to simulate corruption); false when absent.</summary>
    public bool Replace(string key, Func<byte[], byte[]> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!_objects.TryGetValue(key, out var data))
        {
            return false;
        }

        _objects[key] = change(data.ToArray());
        return true;
    }

    public Task PutObjectAsync(string key, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        ObjectKeys.Validate(key);
        ct.ThrowIfCancellationRequested();
        _objects[key] = data.ToArray();
        Interlocked.Increment(ref _putCount);
        return Task.CompletedTask;
    }

    public Task<byte[]?> GetObjectAsync(string key, CancellationToken ct = default)
    {
        ObjectKeys.Validate(key);
        return Task.FromResult(_objects.TryGetValue(key, out var data) ? data.ToArray() : null);
    }

    public Task<bool> DeleteObjectAsync(string key, CancellationToken ct = default)
    {
        ObjectKeys.Validate(key);
        return Task.FromResult(_objects.TryRemove(key, out _));
    }

    public async IAsyncEnumerable<string> ListObjectsAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var key in _objects.Keys)
        {
            ct.ThrowIfCancellationRequested();
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return key;
            }
        }

        await Task.CompletedTask;
    }
}
