namespace Atelier.Transparency;

/// <summary>The sequencing state of a log: its size and the signed checkpoint for that size.</summary>
public sealed class LogState
{
    /// <summary>A state of <paramref name="size"/> entries with its signed checkpoint note.</summary>
    public LogState(long size, byte[] signedCheckpoint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentNullException.ThrowIfNull(signedCheckpoint);
        Size = size;
        SignedCheckpoint = signedCheckpoint;
    }

    /// <summary>The number of entries the checkpoint covers.</summary>
    public long Size { get; }

    /// <summary>The signed checkpoint (a C2SP signed note), exactly as published.</summary>
    public byte[] SignedCheckpoint { get; }
}

/// <summary>
/// Where the sequencer keeps the log's state, with a compare-and-swap that makes the checkpoint the single
/// point of commit: tiles and bundles are written first, then the state advances, so a crash at any point
/// leaves a verifiable log. One implementation per database provider; they must all keep these rules:
/// <list type="bullet">
/// <item>the state only moves forward: a size never decreases and a size is never replaced by another
/// checkpoint of the same size;</item>
/// <item><see cref="TryAdvanceAsync"/> is atomic against concurrent callers in any process.</item>
/// </list>
/// </summary>
public interface ILogStateStore
{
    /// <summary>The latest state; null when the log has never been started.</summary>
    Task<LogState?> GetAsync(CancellationToken ct = default);

    /// <summary>
    /// Replaces the state with <paramref name="next"/> if and only if the stored state's size equals
    /// <paramref name="expectedSize"/> (null: no state is stored yet) and <paramref name="next"/> is larger
    /// (or, for the first state, any size). Returns false, changing nothing, when another writer got there
    /// first.
    /// </summary>
    Task<bool> TryAdvanceAsync(long? expectedSize, LogState next, CancellationToken ct = default);
}

/// <summary>An <see cref="ILogStateStore"/> in memory, for tests and single-process tools.</summary>
public sealed class InMemoryLogStateStore : ILogStateStore
{
    private readonly Lock _gate = new();
    private LogState? _state;

    /// <inheritdoc/>
    public Task<LogState?> GetAsync(CancellationToken ct = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_state);
        }
    }

    /// <inheritdoc/>
    public Task<bool> TryAdvanceAsync(long? expectedSize, LogState next, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(next);
        lock (_gate)
        {
            var advances = _state is null
                ? expectedSize is null
                : expectedSize == _state.Size && next.Size > _state.Size;
            if (advances)
            {
                _state = next;
            }

            return Task.FromResult(advances);
        }
    }
}
