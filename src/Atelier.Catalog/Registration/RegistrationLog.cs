using Atelier.Core;
using Atelier.Transparency;
using Atelier.Transparency.Audit;
using Atelier.Transparency.Entries;
using Atelier.Transparency.Notes;
using Atelier.Transparency.Receipts;
using Atelier.Transparency.Tiles;

namespace Atelier.Catalog.Registration;

/// <summary>
/// The registration log as the catalog uses it (../shared/DESIGN.md "Import", step 5): every registered
/// work's entry is queued in the database in the same transaction as the work; a sequencer, run by exactly
/// one process at a time under a database lease, cuts the queue into batches, appends each batch to the
/// Merkle log with one signed checkpoint, and records the entries' indexes in the same transaction that
/// publishes the checkpoint. Any process can wait for an entry's index, prove it, or audit the log.
/// Because the queue is in the database, an entry whose work was committed is never lost: a crash only
/// delays its sequencing until a sequencer runs again.
/// </summary>
public sealed class RegistrationLog : IAsyncDisposable
{
    private readonly ILogStore _db;
    private readonly IObjectStore _objects;
    private readonly NoteSigner? _signer;
    private readonly LogOptions _options;
    private readonly TimeProvider _clock;
    private readonly DatabaseLogState _state;
    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly Lock _gate = new();
    private TaskCompletionSource _committed = NewSignal();
    private TaskCompletionSource _kick = NewSignal();
    private CancellationTokenSource? _stop;
    private Task? _loop;

    public RegistrationLog(ILogStore db, IObjectStore objects, NoteVerifier verifier, NoteSigner? signer, LogOptions? options = null, TimeProvider? clock = null)
    {
        _db = db;
        _objects = objects;
        Verifier = verifier;
        _signer = signer;
        _options = options ?? new LogOptions();
        _clock = clock ?? TimeProvider.System;
        _state = new DatabaseLogState(db);
        Reader = new LogReader(objects, _state, LogLayout.Default);
    }

    /// <summary>The public key that verifies the log's checkpoints.</summary>
    public NoteVerifier Verifier { get; }

    public LogReader Reader { get; }

    /// <summary>The last error the sequencer met (it retries); null while healthy.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Called with each error the sequencer meets before it retries (hosts log it).</summary>
    public Action<Exception>? OnError { get; set; }

    /// <summary>The canonical registration entry for a work: hashes only, never content or names in clear.</summary>
    /// <param name="work">The work being registered.</param>
    /// <param name="fingerprintDigests">"algorithm:digest" of each of its fingerprints (empty for kinds not fingerprinted yet).</param>
    public static byte[] EntryFor(Work work, IEnumerable<string> fingerprintDigests)
    {
        ArgumentNullException.ThrowIfNull(work);
        return new WorkRegistration(work.Id, work.Sha256, EntryDigests.Fingerprints(fingerprintDigests), EntryDigests.Contributors(work.Contributors), work.RegisteredAt).Encode();
    }

    /// <summary>Starts sequencing in the background (competing for the lease); needs the signing key.</summary>
    public void StartSequencer()
    {
        if (_signer is null)
        {
            throw new InvalidOperationException("this process has no log signing key, so it cannot sequence the log");
        }

        lock (_gate)
        {
            if (_loop is not null)
            {
                return;
            }

            _stop = new CancellationTokenSource();
            _loop = Task.Run(() => RunAsync(_signer, _stop.Token));
        }
    }

    /// <summary>Tells the sequencer an entry was queued, so it need not wait for its next poll.</summary>
    public void Kick()
    {
        lock (_gate)
        {
            _kick.TrySetResult();
        }
    }

    /// <summary>Waits until the queued entry has its index in a signed checkpoint.</summary>
    public async Task<LogQueueEntry> WaitForIndexAsync(long seq, CancellationToken ct = default)
    {
        while (true)
        {
            Task committed;
            lock (_gate)
            {
                committed = _committed.Task;
            }

            var entry = await _db.GetLogEntryAsync(seq, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"log entry {seq} does not exist");
            if (entry.LogIndex is not null)
            {
                return entry;
            }

            // Our own sequencer signals each commit; another process's is seen by polling.
            await Task.WhenAny(committed, Task.Delay(_options.PollInterval, _clock, ct)).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }
    }

    /// <summary>A receipt proving the work's registration entry against the latest checkpoint.</summary>
    public async Task<Receipt> ProveWorkAsync(string workId, CancellationToken ct = default)
    {
        var entry = await _db.GetLogEntryForWorkAsync(workId, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"work '{workId}' has no registration entry");
        if (entry.LogIndex is null)
        {
            entry = await WaitForIndexAsync(entry.Seq, ct).ConfigureAwait(false);
        }

        return await Reader.ProveAsync(entry.LogIndex!.Value, null, ct).ConfigureAwait(false);
    }

    /// <summary>Re-hashes every entry and tile against the latest checkpoint.</summary>
    public async Task<AuditReport> AuditAsync(CancellationToken ct = default)
    {
        var state = await _db.GetLogStateAsync(ct).ConfigureAwait(false);
        return await new LogAuditor(_objects, Verifier, LogLayout.Default).AuditAsync(state?.SignedCheckpoint, ct).ConfigureAwait(false);
    }

    private async Task RunAsync(NoteSigner signer, CancellationToken stop)
    {
        LogWriter? writer = null;
        DateTimeOffset? leaseUntil = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var now = _clock.GetUtcNow();
                if (leaseUntil is not { } until || now > until - (_options.LeaseTtl / 2))
                {
                    if (!await _db.TryAcquireLeaseAsync(_options.LeaseName, _holder, _options.LeaseTtl, stop).ConfigureAwait(false))
                    {
                        // Another process sequences; our view of the log is stale from here on.
                        writer = null;
                        leaseUntil = null;
                        await PauseAsync(_options.LeaseTtl / 4, stop).ConfigureAwait(false);
                        continue;
                    }

                    leaseUntil = now + _options.LeaseTtl;
                }

                if (writer is null)
                {
                    writer = new LogWriter(_objects, _state, signer);
                    await writer.OpenAsync(stop).ConfigureAwait(false);
                }

                var pending = await _db.GetPendingLogEntriesAsync(_options.MaxBatchSize, stop).ConfigureAwait(false);
                if (pending.Count == 0)
                {
                    await PauseAsync(_options.PollInterval, stop).ConfigureAwait(false);
                    continue;
                }

                var waited = _clock.GetUtcNow() - pending[0].CreatedAt;
                if (pending.Count < _options.MaxBatchSize && waited < _options.MaxDelay)
                {
                    await Task.Delay(_options.MaxDelay - waited, _clock, stop).ConfigureAwait(false);
                    continue;
                }

                _state.SetBatch([.. pending.Select(p => p.Seq)]);
                await writer.AppendAsync([.. pending.Select(p => (ReadOnlyMemory<byte>)p.Entry)], stop).ConfigureAwait(false);
                LastError = null;
                lock (_gate)
                {
                    _committed.TrySetResult();
                    _committed = NewSignal();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The sequencer must never die silently: whatever failed (another sequencer moved the log,
                // storage or the database failed), reload and try again; LastError tells observers why.
                LastError = ex;
                OnError?.Invoke(ex);
                writer = null;
                await PauseAsync(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
            }
            finally
            {
                _state.SetBatch([]);
            }
        }
    }

    private async Task PauseAsync(TimeSpan delay, CancellationToken stop)
    {
        Task kick;
        lock (_gate)
        {
            kick = _kick.Task;
        }

        try
        {
            await Task.WhenAny(kick, Task.Delay(delay, _clock, stop)).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                if (_kick.Task.IsCompleted)
                {
                    _kick = NewSignal();
                }
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stops the sequencer after its current batch and gives the lease back.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            loop = _loop;
            _loop = null;
        }

        if (loop is not null)
        {
            await _stop!.CancelAsync().ConfigureAwait(false);
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            try
            {
                await _db.ReleaseLeaseAsync(_options.LeaseName, _holder, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException)
            {
                // The lease expires on its own; a failed release only delays the next sequencer.
            }

            _stop.Dispose();
        }

        _signer?.Dispose();
    }
}
