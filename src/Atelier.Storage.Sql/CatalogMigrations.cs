namespace Atelier.Storage.Sql;

/// <summary>
/// The catalog schema, step by step. To change the schema, append a step with the next version
/// (fingerprints and licences come this way); <see cref="SqlCatalogStore.MigrateAsync"/>
/// applies the missing ones in order. The DDL is the common subset of SQLite and PostgreSQL.
/// </summary>
public static class CatalogMigrations
{
    public static IReadOnlyList<SqlMigration> All { get; } =
    [
        new(1, "works, contributors, tags, history and API keys", Works),
        new(2, "transparency log queue, sequencing state and leases", Log),
        new(3, "fingerprints of works, by algorithm", Fingerprints),
        new(4, "scanned suspects, their fingerprints, and findings against works", Suspects),
    ];

    private static string Works(SqlDialect d) => $"""
        CREATE TABLE works (
            id TEXT NOT NULL PRIMARY KEY,
            title TEXT NOT NULL,
            -- TitleSearch.Fold(title): databases disagree on folding beyond ASCII, so it is done in C#.
            title_folded TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('image', 'audio', 'text', 'other')),
            original_file_name TEXT NOT NULL,
            media_type TEXT NOT NULL,
            byte_size BIGINT NOT NULL CHECK (byte_size >= 0),
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            registered_at {d.TimeType} NOT NULL,
            metadata {d.JsonType} NOT NULL,
            deleted_at {d.TimeType}
        );
        -- One live work per content hash; a deleted work frees its hash for a new registration.
        CREATE UNIQUE INDEX works_live_sha256 ON works (sha256) WHERE deleted_at IS NULL;
        CREATE INDEX works_live_order ON works (registered_at, id) WHERE deleted_at IS NULL;

        CREATE TABLE work_contributors (
            work_id TEXT NOT NULL REFERENCES works (id),
            ordinal INTEGER NOT NULL,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            share_basis_points INTEGER CHECK (share_basis_points BETWEEN 0 AND 10000),
            PRIMARY KEY (work_id, ordinal)
        );

        CREATE TABLE work_tags (
            work_id TEXT NOT NULL REFERENCES works (id),
            ordinal INTEGER NOT NULL,
            tag TEXT NOT NULL,
            PRIMARY KEY (work_id, ordinal)
        );
        CREATE INDEX work_tags_tag ON work_tags (tag, work_id);

        CREATE TABLE work_events (
            seq {d.IdentityPrimaryKey},
            work_id TEXT NOT NULL REFERENCES works (id),
            at {d.TimeType} NOT NULL,
            type TEXT NOT NULL,
            actor TEXT,
            detail TEXT
        );
        CREATE INDEX work_events_work ON work_events (work_id, seq);

        CREATE TABLE api_keys (
            id TEXT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
            secret_hash TEXT NOT NULL UNIQUE,
            created_at {d.TimeType} NOT NULL,
            revoked_at {d.TimeType},
            last_used_at {d.TimeType}
        );
        """;

    private static string Log(SqlDialect d) => $"""
        -- The queue of transparency-log entries. seq is the queue order; log_index, set once a signed
        -- checkpoint covers the entry, is its place in the log.
        CREATE TABLE log_entries (
            seq {d.SequencePrimaryKey},
            work_id TEXT REFERENCES works (id),
            entry {d.BlobType} NOT NULL,
            created_at {d.TimeType} NOT NULL,
            log_index BIGINT CHECK (log_index >= 0)
        );
        -- The sequencer's scan: only what waits, in queue order, however long the log grows.
        CREATE INDEX log_entries_pending ON log_entries (seq) WHERE log_index IS NULL;
        CREATE UNIQUE INDEX log_entries_index ON log_entries (log_index) WHERE log_index IS NOT NULL;
        CREATE INDEX log_entries_work ON log_entries (work_id, seq) WHERE work_id IS NOT NULL;

        CREATE TABLE log_state (
            -- A single row: the key can only be 1.
            id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            size BIGINT NOT NULL CHECK (size >= 0),
            checkpoint {d.BlobType} NOT NULL
        );

        CREATE TABLE leases (
            name TEXT NOT NULL PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at {d.TimeType} NOT NULL
        );
        """;

    private static string Fingerprints(SqlDialect d) => $"""
        -- The limits repeat SqlCatalogStore's checks, so a row written by other means cannot break a reader.
        CREATE TABLE fingerprints (
            work_id TEXT NOT NULL REFERENCES works (id),
            algorithm TEXT NOT NULL CHECK (length(algorithm) BETWEEN 1 AND 64),
            -- The order the work's fingerprints were first written in; replacing one keeps its place.
            ordinal INTEGER NOT NULL CHECK (ordinal >= 0),
            data {d.BlobType} NOT NULL CHECK (length(data) BETWEEN 1 AND 16777216),
            created_at {d.TimeType} NOT NULL,
            PRIMARY KEY (work_id, algorithm)
        );
        -- The bulk scan that rebuilds a match index: one algorithm, in work-id order, paged by work_id.
        -- Ordinal collation, so that the order is the ids' own (ULIDs sort by time) whatever the
        -- database's locale; the scan's ORDER BY and keyset comparison name the same collation.
        CREATE INDEX fingerprints_scan ON fingerprints (algorithm, work_id {d.OrdinalCollation});
        """;

    private static string Suspects(SqlDialect d) => $"""
        -- Suspects are kept so that a new work can be checked against earlier scans (the rescan).
        -- The limits repeat SqlCatalogStore's checks, as for fingerprints.
        CREATE TABLE suspects (
            id {d.SequencePrimaryKey},
            path TEXT NOT NULL CHECK (length(path) BETWEEN 1 AND 4096),
            sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
            scanned_at {d.TimeType} NOT NULL
        );

        CREATE TABLE suspect_fingerprints (
            suspect_id BIGINT NOT NULL REFERENCES suspects (id) ON DELETE CASCADE,
            algorithm TEXT NOT NULL CHECK (length(algorithm) BETWEEN 1 AND 64),
            data {d.BlobType} NOT NULL CHECK (length(data) BETWEEN 1 AND 16777216),
            PRIMARY KEY (suspect_id, algorithm)
        );
        -- The rescan's bulk read: one algorithm, in suspect-id order, paged by suspect_id.
        CREATE INDEX suspect_fingerprints_scan ON suspect_fingerprints (algorithm, suspect_id);

        CREATE TABLE scan_findings (
            suspect_id BIGINT NOT NULL REFERENCES suspects (id) ON DELETE CASCADE,
            work_id TEXT NOT NULL REFERENCES works (id),
            grade TEXT NOT NULL CHECK (length(grade) BETWEEN 1 AND 32),
            score DOUBLE PRECISION NOT NULL,
            -- Characters here, UTF-8 bytes in C#: a string within the C# limit always passes.
            evidence TEXT NOT NULL CHECK (length(evidence) <= 1048576),
            found_at {d.TimeType} NOT NULL,
            reported_at {d.TimeType},
            PRIMARY KEY (suspect_id, work_id)
        );
        -- What `scan --new` takes: only the unreported, however many have been reported before.
        CREATE INDEX scan_findings_unreported ON scan_findings (found_at, suspect_id, work_id) WHERE reported_at IS NULL;
        -- The foreign key to works, for a work's findings.
        CREATE INDEX scan_findings_work ON scan_findings (work_id);
        """;
}
