namespace Atelier.Catalog.Registration;

/// <summary>How the registration log is batched and sequenced.</summary>
public sealed record LogOptions
{
    /// <summary>A batch is cut when it holds this many entries…</summary>
    public int MaxBatchSize { get; init; } = 1024;

    /// <summary>…or when its oldest entry has waited this long (≤ 500 ms per the design).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a process looks for entries queued by other processes, and for their checkpoints.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the sequencer's lease lasts without renewal; another process takes over after it.</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The name of the sequencer's lease in the database.</summary>
    public string LeaseName { get; init; } = "transparency-log";
}
