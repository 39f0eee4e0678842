using System.Runtime.CompilerServices;
using Atelier.Catalog.Matching;
using Atelier.Catalog.Registration;
using Atelier.Core;
using Atelier.Media;
using Atelier.Media.Audio;

namespace Atelier.Catalog;

/// <summary>
/// Import, the one place that knows the order of steps (../shared/DESIGN.md "Import"):
/// stage while hashing → skip known content → inspect and extract metadata → store the blob →
/// write the work in one transaction. The blob is stored before the work row, so a crash at any
/// point leaves either nothing, or an unreferenced blob that <see cref="GarbageCollector"/> removes;
/// never a work without its content.
/// </summary>
public sealed class ImportService(ICatalogStore catalog, IBlobStore blobs, IMediaInspector inspector, FingerprintService fingerprints, MatchIndexes indexes, Rescan rescan, Staging staging, RegistrationLog log, TimeProvider clock)
{
    /// <summary>How many imported works may wait for their checkpoint at once in <see cref="ImportManyAsync"/>.</summary>
    public const int MaxAwaitingCheckpoint = 4096;

    /// <summary>Streams content into staging with the hash taken on the way.</summary>
    public Task<StagedContent> StageAsync(Stream content, long maxBytes, CancellationToken ct = default) =>
        staging.StageAsync(content, maxBytes, ct);

    /// <summary>Files <see cref="ImportManyAsync"/> stages and inspects before it stores any of them, so their audio can share ffmpeg runs.</summary>
    public const int ImportGroup = AudioBatchDecoder.MaxBatch;

    /// <summary>Imports one local file. Never throws for a bad file: the outcome carries the reason.</summary>
    public async Task<ImportOutcome> ImportFileAsync(string path, ImportRequest request, long maxBytes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (staged, failure) = await StageFileAsync(path, maxBytes, ct).ConfigureAwait(false);
        if (staged is null)
        {
            return failure!;
        }

        await using (staged.ConfigureAwait(false))
        {
            var outcome = await ImportStagedAsync(staged, Path.GetFileName(path), request, null, ct).ConfigureAwait(false);
            return outcome with { Path = path };
        }
    }

    /// <summary>Copies a local file into staging, hashing it; a file that cannot be read comes back as a failed outcome.</summary>
    private async Task<(StagedContent? Staged, ImportOutcome? Failure)> StageFileAsync(string path, long maxBytes, CancellationToken ct)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Length > maxBytes)
            {
                return (null, ImportOutcome.Failed(path, $"file is {info.Length} bytes, over the limit of {maxBytes} bytes"));
            }

            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (stream.ConfigureAwait(false))
            {
                return (await staging.StageAsync(stream, maxBytes, ct).ConfigureAwait(false), null);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BlobTooLargeException)
        {
            return (null, ImportOutcome.Failed(path, ex switch
            {
                FileNotFoundException => "unreadable: the file does not exist or is a broken link",
                UnauthorizedAccessException => "unreadable: permission denied",
                BlobTooLargeException tooLarge => $"file is over the limit of {tooLarge.Limit} bytes",
                _ => "unreadable: " + ex.Message,
            }));
        }
    }

    /// <summary>
    /// Finishes an import from staged content: duplicate check, inspection, storage and the catalog row.
    /// Throws <see cref="CatalogValidationException"/> for invalid request metadata.
    /// </summary>
    public Task<ImportOutcome> ImportStagedAsync(StagedContent staged, string originalFileName, ImportRequest request, CancellationToken ct = default) =>
        ImportStagedAsync(staged, originalFileName, request, null, ct);

    /// <summary>
    /// <see cref="ImportStagedAsync(StagedContent, string, ImportRequest, CancellationToken)"/>, with the file's
    /// inspection and decoded audio when <see cref="ImportManyAsync"/> did them for its group.
    /// </summary>
    private async Task<ImportOutcome> ImportStagedAsync(StagedContent staged, string originalFileName, ImportRequest request, Prepared? prepared, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(staged);
        ArgumentNullException.ThrowIfNull(request);
        var fileName = CatalogRules.SafeFileName(originalFileName);
        var tags = CatalogRules.NormaliseTags(request.Tags);
        CatalogRules.ValidateContributors(request.Contributors);

        // A prepared file was looked up moments ago by PrepareAsync; a copy registered since then is caught
        // by AddWorkAsync below, as for any concurrent writer.
        var existing = prepared is null ? await catalog.FindBySha256Async(staged.Sha256, ct).ConfigureAwait(false) : prepared.Existing;
        if (existing is not null)
        {
            return new ImportOutcome(fileName, ImportStatus.Duplicate, existing.Id, null, existing, staged.Length);
        }

        if (prepared?.Failure is { } failure)
        {
            return ImportOutcome.Failed(fileName, failure);
        }

        QueryFingerprints prints;
        MediaInspection inspection;
        try
        {
            inspection = prepared?.Inspection ?? await inspector.InspectAsync(staged.Path, fileName, ct).ConfigureAwait(false);
            prints = await fingerprints.ComputeAsync(staged.Path, fileName, inspection, prepared?.Audio, ct).ConfigureAwait(false);
        }
        catch (MediaException ex)
        {
            return ImportOutcome.Failed(fileName, ex.Message);
        }

        await blobs.PutFileAsync(staged.Path, staged.Sha256, ct).ConfigureAwait(false);
        staged.Consumed = true;

        var now = clock.GetUtcNow();
        var work = new Work
        {
            Id = WorkId.New(now),
            Title = CatalogRules.NormaliseTitle(request.Title, fileName),
            Kind = inspection.Kind,
            OriginalFileName = fileName,
            MediaType = inspection.MediaType,
            ByteSize = staged.Length,
            Sha256 = staged.Sha256,
            Contributors = request.Contributors,
            Tags = tags,
            RegisteredAt = now,
            Metadata = inspection.Metadata,
        };

        var added = await catalog.AddWorkAsync(work, request.Actor, RegistrationLog.EntryFor(work, prints.Digests()), prints.ToRecords(), ct).ConfigureAwait(false);
        if (!added.Added)
        {
            // Another writer registered the same content between our check and our insert.
            var winner = await catalog.GetWorkAsync(added.WorkId, ct).ConfigureAwait(false);
            return new ImportOutcome(fileName, ImportStatus.Duplicate, added.WorkId, null, winner, staged.Length);
        }

        log.Kick();
        indexes.Add(work.Id, prints);
        string? warning = null;
        try
        {
            await rescan.CheckNewWorkAsync(work, prints, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The work is stored and registered; only the re-check of earlier suspects failed.
            warning = "stored, but earlier suspects were not re-checked against it: " + ex.Message;
        }

        return new ImportOutcome(fileName, ImportStatus.Imported, work.Id, null, work, staged.Length, added.LogSeq) { Warning = warning };
    }

    /// <summary>
    /// Waits until an imported work's registration entry is covered by a signed checkpoint; other outcomes
    /// come back as they are.
    /// </summary>
    public async Task<ImportOutcome> WaitForRegistrationAsync(ImportOutcome outcome, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Status != ImportStatus.Imported || outcome.LogSeq is not { } seq)
        {
            return outcome;
        }

        var entry = await log.WaitForIndexAsync(seq, ct).ConfigureAwait(false);
        return outcome with { LogIndex = entry.LogIndex };
    }

    /// <summary>
    /// Expands files and folders (recursively, not following links to folders) into the list of files to
    /// import, in a stable order. Paths that cannot be listed come back as failures.
    /// </summary>
    public static (List<string> Files, List<ImportOutcome> Failures) ExpandPaths(IEnumerable<string> paths)
    {
        var files = new List<string>();
        var failures = new List<ImportOutcome>();
        foreach (var p in paths)
        {
            var full = Path.GetFullPath(p);
            if (Directory.Exists(full))
            {
                Walk(full, files, failures);
            }
            else if (File.Exists(full) || new FileInfo(full).LinkTarget is not null)
            {
                files.Add(full);
            }
            else
            {
                failures.Add(ImportOutcome.Failed(p, "no such file or folder"));
            }
        }

        return (files, failures);
    }

    private static void Walk(string dir, List<string> files, List<ImportOutcome> failures)
    {
        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = [.. new DirectoryInfo(dir).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failures.Add(ImportOutcome.Failed(dir, "folder cannot be listed: " + ex.Message));
            return;
        }

        foreach (var entry in entries)
        {
            if (entry is DirectoryInfo sub)
            {
                // A link to a folder can make a cycle; import what it points to by naming it directly.
                if (sub.LinkTarget is null)
                {
                    Walk(sub.FullName, files, failures);
                }
            }
            else
            {
                files.Add(entry.FullName);
            }
        }
    }

    /// <summary>
    /// Imports many files one after another; one bad file never stops the batch. With
    /// <paramref name="waitForRegistration"/>, each imported work is reported once a signed checkpoint covers
    /// it; the waits overlap with the next files, so a batch costs a few checkpoints, not one per file.
    /// Outcomes come back in input order.
    /// </summary>
    /// <remarks>
    /// Files go in groups of <see cref="ImportGroup"/>: all staged and inspected first, so the group's short
    /// recordings are decoded by one ffmpeg (<see cref="FingerprintService.DecodeAudioAsync"/>), then each
    /// stored in turn exactly as <see cref="ImportFileAsync"/> would.
    /// </remarks>
    public async IAsyncEnumerable<ImportOutcome> ImportManyAsync(IReadOnlyList<string> files, ImportRequest request, long maxBytes, bool waitForRegistration = true, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(request);
        var awaiting = new Queue<Task<ImportOutcome>>();

        // Invalid request metadata fails every file alike, so no group is inspected or decoded for it.
        var requestValid = IsValid(request);
        foreach (var group in files.Chunk(ImportGroup))
        {
            ct.ThrowIfCancellationRequested();
            var staged = new (StagedContent? Staged, ImportOutcome? Failure)[group.Length];
            try
            {
                for (var i = 0; i < group.Length; i++)
                {
                    staged[i] = await StageFileAsync(group[i], maxBytes, ct).ConfigureAwait(false);
                }

                var prepared = requestValid ? await PrepareAsync(group, staged, ct).ConfigureAwait(false) : new Prepared?[group.Length];
                for (var i = 0; i < group.Length; i++)
                {
                    ImportOutcome outcome;
                    try
                    {
                        outcome = staged[i].Staged is { } content
                            ? await ImportStagedAsync(content, Path.GetFileName(group[i]), request, prepared[i], ct).ConfigureAwait(false) with { Path = group[i] }
                            : staged[i].Failure!;
                    }
                    catch (CatalogValidationException ex)
                    {
                        outcome = ImportOutcome.Failed(group[i], ex.Message);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
                    {
                        // A store that fails for one file (full disk, lost connection) is reported per file;
                        // the batch goes on and the summary's exit code says some items failed.
                        outcome = ImportOutcome.Failed(group[i], "could not store: " + ex.Message);
                    }

                    awaiting.Enqueue(waitForRegistration ? WaitForRegistrationAsync(outcome, ct) : Task.FromResult(outcome));
                    while (awaiting.Count > 0 && (awaiting.Peek().IsCompleted || awaiting.Count > MaxAwaitingCheckpoint))
                    {
                        yield return await awaiting.Dequeue().ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                // Staged copies not taken over by the blob store are deleted once the group is done.
                foreach (var (content, _) in staged)
                {
                    if (content is not null)
                    {
                        await content.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }
        }

        while (awaiting.Count > 0)
        {
            yield return await awaiting.Dequeue().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Looks the group's files up, inspects the new ones and decodes their short recordings together. A file
    /// this cannot settle (a second copy within the group, a read or store error) is left unprepared: its own
    /// import then does each step alone and reports why.
    /// </summary>
    private async Task<Prepared?[]> PrepareAsync(string[] group, (StagedContent? Staged, ImportOutcome? Failure)[] staged, CancellationToken ct)
    {
        var prepared = new Prepared?[group.Length];
        var inspections = new MediaInspection?[group.Length];
        var toDecode = new List<int>();
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < group.Length; i++)
        {
            // A second copy in the group finds the first one stored by the time its own import looks.
            if (staged[i].Staged is not { } content || !hashes.Add(content.Sha256))
            {
                continue;
            }

            try
            {
                if (await catalog.FindBySha256Async(content.Sha256, ct).ConfigureAwait(false) is { } existing)
                {
                    prepared[i] = new Prepared(existing, null, null, null);
                    continue;
                }

                inspections[i] = await inspector.InspectAsync(content.Path, CatalogRules.SafeFileName(Path.GetFileName(group[i])), ct).ConfigureAwait(false);
                toDecode.Add(i);
            }
            catch (MediaException ex)
            {
                prepared[i] = new Prepared(null, ex.Message, null, null);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // Left unprepared: its own import meets the same error and reports it.
            }
        }

        var audio = await fingerprints.DecodeAudioAsync([.. toDecode.Select(i => (staged[i].Staged!.Path, inspections[i]!))], ct).ConfigureAwait(false);
        for (var k = 0; k < toDecode.Count; k++)
        {
            prepared[toDecode[k]] = new Prepared(null, null, inspections[toDecode[k]], audio[k]);
        }

        return prepared;
    }

    private static bool IsValid(ImportRequest request)
    {
        try
        {
            CatalogRules.NormaliseTags(request.Tags);
            CatalogRules.ValidateContributors(request.Contributors);
            return true;
        }
        catch (CatalogValidationException)
        {
            return false;
        }
    }

    /// <summary>
    /// What <see cref="PrepareAsync"/> settled for one file ahead of its import: the work it already is, why
    /// it cannot be imported, or its inspection and decoded audio.
    /// </summary>
    private sealed record Prepared(Work? Existing, string? Failure, MediaInspection? Inspection, AudioDecodeResult? Audio);
}
