using System.Threading.Channels;
using Atelier.Transparency.Notes;
using Atelier.Transparency.Tiles;

namespace Atelier.Transparency;

/// <summary>Options of <see cref="LogBatcher"/>.</summary>
public sealed record LogBatcherOptions
{
    /// <summary>The most entries sequenced under one checkpoint.</summary>
    public int MaxBatchSize { get; init; } = 256;

    /// <summary>How long the first entry of a batch waits for company before the batch is sequenced (at most 500 ms).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How many entries may wait in the queue; enqueuers wait beyond that.</summary>
    public int QueueCapacity { get; init; } = 4096;

    /// <summary>The clock (tests may pass a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>An entry sequenced into the log.</summary>
/// <param name="Index">The entry's index in the log.</param>
/// <param name="Checkpoint">The first checkpoint that covers it.</param>
/// <param name="SignedCheckpoint">That checkpoint, signed.</param>
public sealed record SequencedEntry(long Index, Checkpoint Checkpoint, byte[] SignedCheckpoint);

/// <summary>
/// A queued entry. <see cref="Completion"/> ends when the entry's batch is committed (or fails); a caller
/// that does not wait (<c>--no-wait</c>) may drop the ticket: the entry is still sequenced.
/// </summary>
public sealed class LogTicket
{
    internal LogTicket(ReadOnlyMemory<byte> entry)
    {
        Entry = entry;
    }

    /// <summary>The entry bytes.</summary>
    public ReadOnlyMemory<byte> Entry { get; }

    /// <summary>Completes with the entry's index and checkpoint, or faults with the batch's error.</summary>
    public Task<SequencedEntry> Completion => Source.Task;

    internal TaskCompletionSource<SequencedEntry> Source { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Groups entries from many callers into batches for a <see cref="LogWriter"/>: a batch is sequenced when it
/// is full or when its first entry has waited <see cref="LogBatcherOptions.MaxDelay"/>, so the log writes
/// its tiles and signs one checkpoint per batch rather than per entry. Disposing drains the queue: every
/// entry enqueued before is sequenced (or failed) before <see cref="DisposeAsync"/> returns.
/// </summary>
public sealed class LogBatcher : IAsyncDisposable
{
    private readonly LogWriter _writer;
    private readonly LogBatcherOptions _options;
    private readonly Channel<LogTicket> _queue;
    private readonly Task _loop;

    /// <summary>Starts batching for <paramref name="writer"/>.</summary>
    public LogBatcher(LogWriter writer, LogBatcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _options = options ?? new LogBatcherOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxBatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.QueueCapacity, 1, nameof(options));
        if (_options.MaxDelay < TimeSpan.Zero || _options.MaxDelay > TimeSpan.FromMilliseconds(500))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxDelay must lie between 0 and 500 ms");
        }

        _queue = Channel.CreateBounded<LogTicket>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Queues an entry and returns its ticket as soon as it is queued, without waiting for the checkpoint.
    /// </summary>
    /// <exception cref="ObjectDisposedException">after <see cref="DisposeAsync"/> began.</exception>
    public async ValueTask<LogTicket> EnqueueAsync(ReadOnlyMemory<byte> entry, CancellationToken ct = default)
    {
        EntryBundle.CheckEntry(entry.Span);
        var ticket = new LogTicket(entry);
        try
        {
            await _queue.Writer.WriteAsync(ticket, ct).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            throw new ObjectDisposedException(nameof(LogBatcher), e);
        }

        return ticket;
    }

    /// <summary>
    /// Queues an entry and waits until a signed checkpoint covers it. Cancelling stops the wait, not the
    /// entry: once queued it is sequenced.
    /// </summary>
    public async Task<SequencedEntry> AppendAsync(ReadOnlyMemory<byte> entry, CancellationToken ct = default)
    {
        var ticket = await EnqueueAsync(entry, ct).ConfigureAwait(false);
        return await ticket.Completion.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Stops taking entries, sequences every queued one, then returns.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<LogTicket>(_options.MaxBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var deadline = _options.TimeProvider.GetTimestamp();
            while (batch.Count < _options.MaxBatchSize)
            {
                if (reader.TryRead(out var ticket))
                {
                    batch.Add(ticket);
                    continue;
                }

                var left = _options.MaxDelay - _options.TimeProvider.GetElapsedTime(deadline);
                if (left <= TimeSpan.Zero || !await WaitForMoreAsync(reader, left).ConfigureAwait(false))
                {
                    break;
                }
            }

            if (batch.Count > 0)
            {
                await SequenceAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }
        }
    }

    private async Task<bool> WaitForMoreAsync(ChannelReader<LogTicket> reader, TimeSpan left)
    {
        using var timeout = new CancellationTokenSource(left, _options.TimeProvider);
        try
        {
            return await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task SequenceAsync(List<LogTicket> batch)
    {
        try
        {
            var result = await _writer.AppendAsync(batch.Select(t => t.Entry).ToList()).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Source.TrySetResult(new SequencedEntry(result.FirstIndex + i, result.Checkpoint, result.SignedCheckpoint));
            }
        }
        catch (Exception e)
        {
            // The whole batch failed before its checkpoint was committed; each caller sees why and may retry.
            foreach (var ticket in batch)
            {
                ticket.Source.TrySetException(e);
            }
        }
    }
}
