public import FoundationEssentials
import GRDB
public import Model

extension StateDatabase {
    /// Adds a feed, or updates the name and interval of a known one (its state is kept).
    ///
    /// A URL that was permanently redirected (see ``renameFeed(from:to:)``) updates the feed it
    /// now lives under instead of coming back as a second feed.
    ///
    /// - Parameter source: The feed.
    /// - Throws: ``StoreError`` when SQLite fails.
    public func upsertFeed(_ source: FeedSource) throws(StoreError) {
        try write { db in
            let url = try Self.resolve(db, url: source.url)
            try db.execute(
                sql: """
                    INSERT INTO feeds(url, title, interval_seconds) VALUES (?, ?, ?)
                    ON CONFLICT(url) DO UPDATE SET
                        title = COALESCE(excluded.title, feeds.title),
                        interval_seconds = excluded.interval_seconds
                    """,
                arguments: [url, source.title, source.intervalSeconds]
            )
        }
    }

    /// Reads one feed's state.
    ///
    /// - Parameter url: The feed URL (a former URL of a renamed feed finds the feed).
    /// - Returns: The state, or `nil` when the feed is unknown.
    /// - Throws: ``StoreError`` when SQLite fails.
    public func feedState(url: String) throws(StoreError) -> FeedState? {
        try read { db in
            let url = try Self.resolve(db, url: url)
            return try Row.fetchOne(db, sql: "SELECT * FROM feeds WHERE url = ?", arguments: [url])
                .map(Self.feedState(row:))
        }
    }

    /// Reads every feed's state, ordered by URL.
    ///
    /// - Returns: All feeds, disabled ones included.
    /// - Throws: ``StoreError`` when SQLite fails.
    public func allFeedStates() throws(StoreError) -> [FeedState] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM feeds ORDER BY url").map(Self.feedState(row:))
        }
    }

    /// Records a successful fetch (`200`): new validators, failures reset, next due time.
    ///
    /// - Parameters:
    ///   - url: The feed URL.
    ///   - etag: The response's `ETag` (`nil` clears the stored one).
    ///   - lastModified: The response's `Last-Modified` (`nil` clears the stored one).
    ///   - at: When the fetch finished.
    ///   - nextAttempt: When the feed is next due.
    /// - Throws: ``StoreError/unknownFeed(path:url:)``, or ``StoreError`` when SQLite fails.
    public func recordFeedSuccess(
        url: String,
        etag: String?,
        lastModified: String?,
        at: Date,
        nextAttempt: Date
    ) throws(StoreError) {
        try updateFeed(
            url: url,
            sql: """
                UPDATE feeds SET etag = ?, last_modified = ?, last_attempt = ?, last_success = ?,
                    consecutive_failures = 0, next_attempt = ?, last_error = NULL, last_error_class = NULL
                WHERE url = ?
                """,
            arguments: [etag, lastModified, at.storedValue, at.storedValue, nextAttempt.storedValue]
        )
    }

    /// Records a `304 Not Modified`: validators kept, failures reset, next due time.
    ///
    /// - Parameters:
    ///   - url: The feed URL.
    ///   - at: When the fetch finished.
    ///   - nextAttempt: When the feed is next due.
    /// - Throws: ``StoreError/unknownFeed(path:url:)``, or ``StoreError`` when SQLite fails.
    public func recordFeedNotModified(url: String, at: Date, nextAttempt: Date) throws(StoreError) {
        try updateFeed(
            url: url,
            sql: """
                UPDATE feeds SET last_attempt = ?, last_success = ?, consecutive_failures = 0,
                    next_attempt = ?, last_error = NULL, last_error_class = NULL
                WHERE url = ?
                """,
            arguments: [at.storedValue, at.storedValue, nextAttempt.storedValue]
        )
    }

    /// Records a failed fetch: one more consecutive failure, the error, and the backoff time.
    ///
    /// - Parameters:
    ///   - url: The feed URL.
    ///   - error: The failure's message.
    ///   - errorClass: The failure's class (a short stable word).
    ///   - at: When the fetch failed.
    ///   - nextAttempt: When to try again.
    /// - Throws: ``StoreError/unknownFeed(path:url:)``, or ``StoreError`` when SQLite fails.
    public func recordFeedFailure(
        url: String,
        error: String,
        errorClass: String,
        at: Date,
        nextAttempt: Date
    ) throws(StoreError) {
        try updateFeed(
            url: url,
            sql: """
                UPDATE feeds SET last_attempt = ?, consecutive_failures = consecutive_failures + 1,
                    next_attempt = ?, last_error = ?, last_error_class = ?
                WHERE url = ?
                """,
            arguments: [at.storedValue, nextAttempt.storedValue, error, errorClass]
        )
    }

    /// Moves a feed to a new URL after a permanent redirect.
    ///
    /// The feed keeps its state and article count. When `newURL` is already a feed, the two
    /// merge: the existing feed keeps its state and gains the article count. The redirect is
    /// remembered, so ``upsertFeed(_:)`` and ``feedState(url:)`` of the old URL reach the new one.
    /// Stored articles keep the feed URL they were found under.
    ///
    /// - Parameters:
    ///   - oldURL: The redirected URL.
    ///   - newURL: The redirect target.
    /// - Throws: ``StoreError/unknownFeed(path:url:)`` when `oldURL` is unknown, or
    ///   ``StoreError`` when SQLite fails.
    public func renameFeed(from oldURL: String, to newURL: String) throws(StoreError) {
        try write { db in
            // The new URL is taken literally: the latest redirect observed wins over an older one
            // that pointed away from it.
            let source = try Self.resolve(db, url: oldURL)
            let target = newURL
            guard source != target else { return }
            guard
                let count = try Int.fetchOne(
                    db,
                    sql: "SELECT article_count FROM feeds WHERE url = ?",
                    arguments: [source]
                )
            else {
                throw StoreError.unknownFeed(path: path, url: oldURL)
            }
            let targetExists =
                try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM feeds WHERE url = ?)", arguments: [target])
                ?? false
            if targetExists {
                try db.execute(
                    sql: "UPDATE feeds SET article_count = article_count + ? WHERE url = ?",
                    arguments: [count, target]
                )
                try db.execute(sql: "DELETE FROM feeds WHERE url = ?", arguments: [source])
            } else {
                try db.execute(sql: "UPDATE feeds SET url = ? WHERE url = ?", arguments: [target, source])
            }
            // Earlier redirects to the old URL now lead to the new one; a redirect back to a
            // former URL removes the loop.
            try db.execute(sql: "UPDATE feed_redirects SET new_url = ? WHERE new_url = ?", arguments: [target, source])
            try db.execute(sql: "DELETE FROM feed_redirects WHERE old_url = ?", arguments: [target])
            try db.execute(
                sql: """
                    INSERT INTO feed_redirects(old_url, new_url) VALUES (?, ?)
                    ON CONFLICT(old_url) DO UPDATE SET new_url = excluded.new_url
                    """,
                arguments: [source, target]
            )
        }
    }

    /// Switches polling of a feed off (for example after `410 Gone` or too many failures).
    ///
    /// - Parameters:
    ///   - url: The feed URL.
    ///   - reason: Why, for `sift status`.
    /// - Throws: ``StoreError/unknownFeed(path:url:)``, or ``StoreError`` when SQLite fails.
    public func disableFeed(url: String, reason: String) throws(StoreError) {
        try updateFeed(
            url: url,
            sql: "UPDATE feeds SET disabled = 1, disabled_reason = ? WHERE url = ?",
            arguments: [reason]
        )
    }

    /// Switches polling of a disabled feed back on and forgets its failures.
    ///
    /// - Parameter url: The feed URL.
    /// - Throws: ``StoreError/unknownFeed(path:url:)``, or ``StoreError`` when SQLite fails.
    public func enableFeed(url: String) throws(StoreError) {
        try updateFeed(
            url: url,
            sql: """
                UPDATE feeds SET disabled = 0, disabled_reason = NULL, consecutive_failures = 0, next_attempt = NULL
                WHERE url = ?
                """,
            arguments: []
        )
    }

    // MARK: - Helpers

    /// Runs an `UPDATE … WHERE url = ?` (the URL bound last) and fails when no feed matched.
    private func updateFeed(url: String, sql: String, arguments: StatementArguments) throws(StoreError) {
        try write { db in
            let resolved = try Self.resolve(db, url: url)
            try db.execute(sql: sql, arguments: arguments + [resolved])
            if db.changesCount == 0 {
                throw StoreError.unknownFeed(path: path, url: url)
            }
        }
    }

    /// Follows a remembered permanent redirect.
    static func resolve(_ db: Database, url: String) throws -> String {
        try String.fetchOne(db, sql: "SELECT new_url FROM feed_redirects WHERE old_url = ?", arguments: [url]) ?? url
    }

    static func feedState(row: Row) -> FeedState {
        FeedState(
            url: row["url"],
            title: row["title"],
            etag: row["etag"],
            lastModified: row["last_modified"],
            lastAttempt: row.date("last_attempt"),
            lastSuccess: row.date("last_success"),
            consecutiveFailures: row["consecutive_failures"],
            nextAttempt: row.date("next_attempt"),
            lastError: row["last_error"],
            lastErrorClass: row["last_error_class"],
            disabled: row["disabled"],
            disabledReason: row["disabled_reason"],
            articleCount: row["article_count"]
        )
    }
}
