using System.Data;
using System.Text;
using Atelier.Core;

namespace Atelier.Storage.Sql;

public abstract partial class SqlCatalogStore
{
    /// <summary>The longest suspect path, in UTF-16 characters (PATH_MAX on Linux is 4096 bytes).</summary>
    public const int MaxSuspectPathLength = 4096;

    /// <summary>The longest finding grade ("near-exact" and its kin are far shorter).</summary>
    public const int MaxFindingGradeLength = 32;

    /// <summary>The largest finding evidence, in UTF-8 bytes of its JSON.</summary>
    public const int MaxFindingEvidenceLength = 1024 * 1024;

    private const string SuspectColumns = "id, path, sha256, scanned_at";

    /// <inheritdoc />
    /// <remarks>
    /// One transaction: an upsert on the unique <c>sha256</c> (concurrent puts of one hash wait for
    /// each other and end with one row), then the suspect's fingerprints are replaced. Fingerprints
    /// follow the work fingerprints' limits; an algorithm given twice is an <see cref="ArgumentException"/>.
    /// </remarks>
    public Task<long> PutSuspectAsync(string path, string sha256, IReadOnlyList<FingerprintRecord> fingerprints, DateTimeOffset scannedAt, CancellationToken ct = default)
    {
        ValidateSuspectPath(path, nameof(path));
        ArgumentNullException.ThrowIfNull(sha256);
        if (!Sha256Hex.IsValid(sha256))
        {
            throw new ArgumentException("the SHA-256 must be 64 lowercase hexadecimal digits", nameof(sha256));
        }

        ArgumentNullException.ThrowIfNull(fingerprints);
        ValidateFingerprints(fingerprints, nameof(fingerprints), "a suspect");
        var repeated = fingerprints.GroupBy(f => f.Algorithm, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new ArgumentException($"the fingerprints give algorithm '{repeated.Key}' more than once", nameof(fingerprints));
        }

        return InTransactionAsync(write: true, async (connection, transaction) =>
        {
            var upsert = Command(connection, transaction, """
                INSERT INTO suspects (path, sha256, scanned_at) VALUES (@path, @sha256, @scannedAt)
                ON CONFLICT (sha256) DO UPDATE SET path = excluded.path, scanned_at = excluded.scanned_at
                RETURNING id
                """);
            AddText(upsert, "path", path);
            AddText(upsert, "sha256", sha256);
            AddTime(upsert, "scannedAt", scannedAt);
            var id = ToInt64(await ScalarAsync(upsert, ct).ConfigureAwait(false));

            var clear = Command(connection, transaction, "DELETE FROM suspect_fingerprints WHERE suspect_id = @id");
            AddInt64(clear, "id", id);
            await ExecuteAsync(clear, ct).ConfigureAwait(false);

            using (var insert = Command(connection, transaction, "INSERT INTO suspect_fingerprints (suspect_id, algorithm, data) VALUES (@id, @algorithm, @data)"))
            {
                AddInt64(insert, "id", id);
                var algorithm = Add(insert, "algorithm", DbType.String, null);
                var data = Add(insert, "data", DbType.Binary, null);
                foreach (var fingerprint in fingerprints)
                {
                    algorithm.Value = fingerprint.Algorithm;
                    data.Value = fingerprint.Data;
                    await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
            }

            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return id;
        }, ct);
    }

    /// <inheritdoc />
    public async Task<SuspectRecord?> GetSuspectAsync(long id, CancellationToken ct = default)
    {
        var suspects = await WithConnectionAsync(connection =>
        {
            var command = Command(connection, null, $"SELECT {SuspectColumns} FROM suspects WHERE id = @id");
            AddInt64(command, "id", id);
            return ReadAllAsync(command, r => new SuspectRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), Dialect.GetTime(r, 3)), ct);
        }, ct).ConfigureAwait(false);
        return suspects.Count == 0 ? null : suspects[0];
    }

    /// <inheritdoc />
    /// <remarks>Keyset pages by suspect id, as <see cref="ListFingerprintsAsync"/> pages by work id, with the same trade-offs.</remarks>
    public IAsyncEnumerable<(long SuspectId, byte[] Data)> ListSuspectFingerprintsAsync(string algorithm, CancellationToken ct = default)
    {
        ValidateAlgorithm(algorithm, nameof(algorithm));
        const string sql = """
            SELECT suspect_id, data FROM suspect_fingerprints
            WHERE algorithm = @algorithm AND suspect_id > @after
            ORDER BY suspect_id LIMIT @limit
            """;
        // Both databases number suspects from 1.
        return ReadFingerprintPagesAsync(sql, algorithm, DbType.Int64, 0L, FingerprintPageRows,
            r => ((object)r.GetInt64(0), (r.GetInt64(0), r.GetFieldValue<byte[]>(1))), ct);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <see cref="ArgumentException"/> for an unknown suspect or work, a grade of more than
    /// <see cref="MaxFindingGradeLength"/> characters, evidence over <see cref="MaxFindingEvidenceLength"/>
    /// bytes, or a score that is not a finite number. A deleted work still takes findings: the scan
    /// that found it may have started before the deletion.
    /// </remarks>
    public Task<bool> AddFindingAsync(long suspectId, string workId, string grade, double score, string evidence, DateTimeOffset foundAt, DateTimeOffset? reportedAt, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(workId);
        if (!WorkId.IsValid(workId))
        {
            throw new ArgumentException("the work id is not a valid work id", nameof(workId));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(grade);
        if (grade.Length > MaxFindingGradeLength)
        {
            throw new ArgumentException($"a finding's grade is at most {MaxFindingGradeLength} characters; this one has {grade.Length}", nameof(grade));
        }

        StoredText.Validate(grade, "the grade", nameof(grade));
        if (!double.IsFinite(score))
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "a finding's score must be a finite number");
        }

        ArgumentNullException.ThrowIfNull(evidence);
        var evidenceBytes = Encoding.UTF8.GetByteCount(evidence);
        if (evidenceBytes > MaxFindingEvidenceLength)
        {
            throw new ArgumentException($"a finding's evidence is at most {MaxFindingEvidenceLength} bytes of UTF-8; this one is {evidenceBytes}", nameof(evidence));
        }

        StoredText.Validate(evidence, "the evidence", nameof(evidence));
        return InTransactionAsync(write: true, async (connection, transaction) =>
        {
            // Suspects and works are never removed, so both seen here are still there at commit; the
            // foreign keys would refuse a dangling id anyway, but with a provider-specific error.
            var suspect = Command(connection, transaction, "SELECT 1 FROM suspects WHERE id = @id");
            AddInt64(suspect, "id", suspectId);
            if (await ScalarAsync(suspect, ct).ConfigureAwait(false) is null)
            {
                throw new ArgumentException($"there is no suspect {suspectId} to record a finding for", nameof(suspectId));
            }

            if (!await WorkExistsAsync(connection, transaction, workId, ct).ConfigureAwait(false))
            {
                throw new ArgumentException($"there is no work '{workId}' to record a finding against", nameof(workId));
            }

            var insert = Command(connection, transaction, """
                INSERT INTO scan_findings (suspect_id, work_id, grade, score, evidence, found_at, reported_at)
                VALUES (@suspectId, @workId, @grade, @score, @evidence, @foundAt, @reportedAt)
                ON CONFLICT (suspect_id, work_id) DO NOTHING
                """);
            AddInt64(insert, "suspectId", suspectId);
            AddText(insert, "workId", workId);
            AddText(insert, "grade", grade);
            Add(insert, "score", DbType.Double, score);
            AddText(insert, "evidence", evidence);
            AddTime(insert, "foundAt", foundAt);
            AddTime(insert, "reportedAt", reportedAt);
            var added = await ExecuteAsync(insert, ct).ConfigureAwait(false) == 1;
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return added;
        }, ct);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One <c>UPDATE … WHERE reported_at IS NULL RETURNING …</c> marks and reads the findings at once,
    /// so two processes taking together never both get one: on SQLite the write transaction holds the
    /// database's write lock from BEGIN IMMEDIATE; on PostgreSQL (READ COMMITTED) the second UPDATE
    /// waits on the rows the first has locked, re-checks its WHERE once the first commits, and skips
    /// them. RETURNING gives rows in no set order, so they are sorted here (found_at, suspect id, work
    /// id, the last by code point as the ids' collation does).
    /// </remarks>
    public Task<IReadOnlyList<ScanFinding>> TakeUnreportedFindingsAsync(DateTimeOffset reportedAt, CancellationToken ct = default) =>
        InTransactionAsync(write: true, async (connection, transaction) =>
        {
            // SQLite lets RETURNING name only the updated table, so the path comes from a subquery.
            var take = Command(connection, transaction, """
                UPDATE scan_findings SET reported_at = @reportedAt WHERE reported_at IS NULL
                RETURNING suspect_id, (SELECT s.path FROM suspects s WHERE s.id = scan_findings.suspect_id),
                          work_id, grade, score, evidence, found_at, reported_at
                """);
            AddTime(take, "reportedAt", reportedAt);
            var taken = await ReadAllAsync(take, r => new ScanFinding(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDouble(4), r.GetString(5), Dialect.GetTime(r, 6), Dialect.GetTime(r, 7)), ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return (IReadOnlyList<ScanFinding>)[.. taken
                .OrderBy(f => f.FoundAt)
                .ThenBy(f => f.SuspectId)
                .ThenBy(f => f.WorkId, StringComparer.Ordinal)];
        }, ct);

    private static void ValidateSuspectPath(string? path, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path, paramName);
        if (path.Length > MaxSuspectPathLength)
        {
            throw new ArgumentException($"a suspect's path is at most {MaxSuspectPathLength} characters; this one has {path.Length}", paramName);
        }

        StoredText.Validate(path, "the suspect's path", paramName);
    }
}
