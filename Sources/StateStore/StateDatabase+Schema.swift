import GRDB

// The schema of `state.sqlite`.
//
// Migrations are numbered and append-only: never edit a registered migration, add the next one.
// A database that holds a migration this build does not know was written by a newer version and
// is refused (``StoreError/newerSchema(path:unknownMigrations:)``).
//
// Conventions: dates are REAL seconds since 1970-01-01T00:00:00Z (UTC); booleans are INTEGER 0/1;
// unsigned 64-bit values are stored as their signed bit pattern.
//
// Tables (migration 1):
//
// - `feeds`: one row per polled feed, keyed by URL. `article_count` is maintained by `commit`,
//   so it survives a rename even though articles keep the feed URL they were found under.
// - `feed_redirects(old_url → new_url)`: permanent redirects already followed. `upsertFeed` of an
//   old URL (a configuration that still names it) updates the feed it now lives under.
// - `articles`: one row per clustered article. `seq` (the rowid) is the arrival order.
//   `cluster_id` is the cluster it joined; `similarity` is the score that put it there. Author,
//   language and canonical URL are kept so the public article file can be rebuilt.
// - `article_texts(document_id → text)`: the cleaned body, kept apart so that scanning
//   `articles` and `signatures` never pages through long texts.
// - `signatures`: one MinHash signature per article. Parameters live in columns (permutations,
//   seed, shingle size, scheme version) so incompatible signatures are detectable without
//   decoding; `vals` is the `permutations` minima as consecutive little-endian UInt64 (8 bytes each).
// - `failed_articles`: article URLs whose fetch or extraction failed, with an attempt count, so
//   a broken page is retried only a few times.
// - `clusters`: one row per cluster: `created`, `updated`, the representative member, the member
//   count, and `last_seq`, the sequence of the last event that touched it (for reconciliation).
// - `events`: the change log, `seq` 1, 2, 3, … without gaps; mirrored to `events.jsonl`.
// - `meta(key → value)`: free-form settings (for example the signature parameters in use).
//
// Migration 2 indexes `clusters(updated)` for ``StateDatabase/recentClusters(limit:)``.
//
// Migration 3 adds the lead paragraph's signature to `signatures`: `lead_shingle_count` and
// `lead_vals` (same parameters and BLOB form as `vals`). Both are NULL for rows stored before it,
// whose articles are restored without a lead.
//
// Migration 4 indexes `articles(fetched)`: the retention window is a range of fetch times, and
// ``StateDatabase/pruneExpired(fetchedBefore:)`` deletes the signatures of the articles before it.

extension StateDatabase {
    /// The migrations, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-initial") { db in
            try db.execute(
                sql: """
                    CREATE TABLE feeds (
                        url TEXT PRIMARY KEY NOT NULL,
                        title TEXT,
                        interval_seconds INTEGER,
                        etag TEXT,
                        last_modified TEXT,
                        last_attempt REAL,
                        last_success REAL,
                        consecutive_failures INTEGER NOT NULL DEFAULT 0,
                        next_attempt REAL,
                        last_error TEXT,
                        last_error_class TEXT,
                        disabled INTEGER NOT NULL DEFAULT 0,
                        disabled_reason TEXT,
                        article_count INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE TABLE feed_redirects (
                        old_url TEXT PRIMARY KEY NOT NULL,
                        new_url TEXT NOT NULL
                    );
                    CREATE TABLE articles (
                        seq INTEGER PRIMARY KEY,
                        document_id TEXT NOT NULL UNIQUE,
                        url TEXT NOT NULL,
                        feed_url TEXT,
                        outlet TEXT,
                        title TEXT,
                        published REAL,
                        fetched REAL NOT NULL,
                        cluster_id TEXT NOT NULL,
                        similarity REAL NOT NULL,
                        author TEXT,
                        language TEXT,
                        canonical_url TEXT
                    );
                    CREATE INDEX articles_url ON articles(url);
                    CREATE INDEX articles_cluster ON articles(cluster_id, seq);
                    CREATE TABLE article_texts (
                        document_id TEXT PRIMARY KEY NOT NULL,
                        text TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE signatures (
                        document_id TEXT PRIMARY KEY NOT NULL,
                        permutations INTEGER NOT NULL,
                        seed INTEGER NOT NULL,
                        shingle_size INTEGER NOT NULL,
                        scheme_version INTEGER NOT NULL,
                        shingle_count INTEGER NOT NULL,
                        vals BLOB NOT NULL
                    );
                    CREATE TABLE failed_articles (
                        url TEXT PRIMARY KEY NOT NULL,
                        feed_url TEXT,
                        attempts INTEGER NOT NULL,
                        last_error TEXT NOT NULL,
                        last_attempt REAL NOT NULL
                    );
                    CREATE TABLE clusters (
                        id TEXT PRIMARY KEY NOT NULL,
                        created REAL NOT NULL,
                        updated REAL NOT NULL,
                        representative TEXT NOT NULL,
                        member_count INTEGER NOT NULL,
                        last_seq INTEGER NOT NULL
                    );
                    CREATE INDEX clusters_last_seq ON clusters(last_seq);
                    CREATE TABLE events (
                        seq INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL,
                        time REAL NOT NULL,
                        cluster_id TEXT NOT NULL,
                        document_id TEXT NOT NULL,
                        url TEXT NOT NULL,
                        similarity REAL NOT NULL
                    );
                    CREATE TABLE meta (
                        key TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("2-clusters-by-update") { db in
            try db.execute(sql: "CREATE INDEX clusters_updated ON clusters(updated)")
        }
        migrator.registerMigration("3-lead-signatures") { db in
            try db.execute(
                sql: """
                    ALTER TABLE signatures ADD COLUMN lead_shingle_count INTEGER;
                    ALTER TABLE signatures ADD COLUMN lead_vals BLOB;
                    """
            )
        }
        migrator.registerMigration("4-articles-by-fetch-time") { db in
            try db.execute(sql: "CREATE INDEX articles_fetched ON articles(fetched)")
        }
        return migrator
    }
}
