namespace Atelier.Fingerprints;

/// <summary>The read side of the indexes' reader-writer locks.</summary>
internal static class ReadLock
{
    /// <summary>Runs <paramref name="read"/> under <paramref name="gate"/>'s read lock.</summary>
    public static T Read<T>(this ReaderWriterLockSlim gate, Func<T> read)
    {
        gate.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            gate.ExitReadLock();
        }
    }
}
