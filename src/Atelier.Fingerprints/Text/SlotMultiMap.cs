namespace Atelier.Fingerprints.Text;

/// <summary>
/// A map from a key to the work slots that share it, for LSH bands and content digests. Nearly
/// every key has one slot, so it lives in a plain dictionary entry; only shared keys get a list.
/// That keeps a 32-band LSH at about 24 bytes per band and work instead of about 90.
/// </summary>
internal sealed class SlotMultiMap<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, int> _single = [];
    private readonly Dictionary<TKey, List<int>> _shared = [];

    /// <summary>Number of distinct keys.</summary>
    public int Count => _single.Count + _shared.Count;

    /// <summary>Approximate bytes held (dictionary entries and lists).</summary>
    public long MemoryBytes
    {
        get
        {
            long bytes = _single.Count * 32L;
            foreach (var list in _shared.Values)
            {
                bytes += 32 + 56 + (4L * list.Capacity);
            }

            return bytes;
        }
    }

    public void Add(TKey key, int slot)
    {
        if (_shared.TryGetValue(key, out var list))
        {
            list.Add(slot);
        }
        else if (_single.Remove(key, out var existing))
        {
            _shared[key] = [existing, slot];
        }
        else
        {
            _single[key] = slot;
        }
    }

    public void Remove(TKey key, int slot)
    {
        if (_single.TryGetValue(key, out var existing))
        {
            if (existing == slot)
            {
                _single.Remove(key);
            }
        }
        else if (_shared.TryGetValue(key, out var list) && list.Remove(slot) && list.Count == 1)
        {
            _shared.Remove(key);
            _single[key] = list[0];
        }
    }

    /// <summary>Adds the slots under <paramref name="key"/> to <paramref name="slots"/>.</summary>
    public void CollectInto(TKey key, HashSet<int> slots)
    {
        if (_single.TryGetValue(key, out var slot))
        {
            slots.Add(slot);
        }
        else if (_shared.TryGetValue(key, out var list))
        {
            slots.UnionWith(list);
        }
    }
}
