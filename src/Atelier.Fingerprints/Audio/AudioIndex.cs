namespace Atelier.Fingerprints.Audio;

/// <summary>
/// An inverted index from landmark hashes to (work, time), with offset voting to verify candidates.
/// Thread-safe: adds and removes take a write lock, matches a read lock.
/// </summary>
public sealed class AudioIndex : IDisposable
{
    /// <summary>Number of works indexed.</summary>
    public int Count => throw new NotImplementedException();

    /// <summary>Seconds of audio indexed.</summary>
    public double IndexedSeconds => throw new NotImplementedException();

    /// <summary>Bytes the index holds in memory (postings and tables).</summary>
    public long MemoryBytes => throw new NotImplementedException();

    /// <summary>Adds (or replaces) a work.</summary>
    public void Add(string workId, AudioFingerprint fingerprint) => throw new NotImplementedException();

    /// <summary>Adds many works at once (faster than one by one).</summary>
    public void AddRange(IEnumerable<KeyValuePair<string, AudioFingerprint>> works) => throw new NotImplementedException();

    /// <summary>Removes a work; unknown ids are ignored.</summary>
    public void Remove(string workId) => throw new NotImplementedException();

    /// <summary>The works a short query (up to a minute or so) contains, best first.</summary>
    public IReadOnlyList<AudioMatch> Match(AudioFingerprint query, AudioMatchOptions? options = null) => throw new NotImplementedException();

    /// <summary>
    /// Scans a long query (a mix, a broadcast) in overlapping segments and returns its timeline: which
    /// work plays from when to when in the query, in query order. Consecutive segments that agree on
    /// the work and alignment are merged into one entry.
    /// </summary>
    public IReadOnlyList<AudioMatch> Scan(AudioFingerprint query, AudioMatchOptions? options = null) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void Dispose() => throw new NotImplementedException();
}
