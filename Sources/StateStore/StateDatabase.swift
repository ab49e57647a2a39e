import FoundationEssentials
import GRDB

/// The daemon's SQLite state: feeds, validators, seen articles, signatures, clusters, change log.
///
/// The database is the source of truth; the cluster directory is derived from it. It runs in WAL
/// mode so readers (``openReadOnly(path:)``, for `sift status`) never block the single writer,
/// with `synchronous=FULL` so that a committed transaction is on disk before the daemon mirrors
/// it to the cluster directory (a power loss cannot leave the directory ahead of the database).
///
/// All methods are synchronous and safe to call from any thread; each one is one transaction.
/// The schema and its migrations are described in `StateDatabase+Schema.swift`.
public final class StateDatabase: Sendable {
    /// The database file path.
    public let path: String
    /// How many failed attempts make ``hasArticle(url:)`` report a broken article URL as handled.
    public static let maxArticleAttempts = 3

    let pool: DatabasePool

    /// The default of memory-mapped I/O for reads, in bytes of the file (address space, not
    /// memory): 64 MiB.
    ///
    /// Mapped pages make reads cheaper (the start-up scan of every signature reads the whole
    /// table, and `read(2)` calls per page dominate it otherwise), but every mapped page read
    /// counts in the process's VmRSS as a file-backed page (RssFile) until the kernel reclaims
    /// it: with a large mapping, VmRSS grows with the database though the process's own memory
    /// (RssAnon) does not. Beyond the mapped prefix of the file SQLite reads through its page
    /// cache (2 MiB per connection) and the kernel's, which VmRSS does not count.
    public static let defaultMmapSize = 64 << 20

    /// Opens (creating if needed) the database at `path` for writing, and applies migrations.
    ///
    /// Only one process should write a database; the daemon guards this with the cluster
    /// directory's lock file.
    ///
    /// - Parameters:
    ///   - path: The `state.sqlite` path; its directory must exist.
    ///   - mmapSize: Bytes of the file read through memory mapping (`PRAGMA mmap_size`; 0 for none).
    /// - Throws: ``StoreError/open(path:message:)`` when the file cannot be opened,
    ///   ``StoreError/newerSchema(path:unknownMigrations:)`` for a database from a newer version,
    ///   ``StoreError/migration(path:message:)`` when a migration fails.
    public init(path: String, mmapSize: Int = StateDatabase.defaultMmapSize) throws(StoreError) {
        self.path = path
        let mmapSize = max(0, mmapSize)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.label = "sift.state"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA mmap_size = \(mmapSize)")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .open(path: path, message: Self.message(of: error))
        }
        let migrator = Self.migrator
        do {
            let unknown = try pool.read { db in
                try db.tableExists("grdb_migrations")
                    ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
            }.filter { !migrator.migrations.contains($0) }
            if !unknown.isEmpty {
                throw StoreError.newerSchema(path: path, unknownMigrations: unknown)
            }
            try migrator.migrate(pool)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .migration(path: path, message: Self.message(of: error))
        }
    }

    private init(path: String, readOnlyPool: DatabasePool) {
        self.path = path
        self.pool = readOnlyPool
    }

    /// Opens an existing database for reading only.
    ///
    /// Thanks to WAL mode the reader sees the last committed state and never blocks the daemon
    /// writing the same file. Every write method of the returned instance fails.
    ///
    /// - Parameter path: The `state.sqlite` path.
    /// - Returns: A read-only database.
    /// - Throws: ``StoreError/open(path:message:)`` when the file is missing or unreadable,
    ///   ``StoreError/newerSchema(path:unknownMigrations:)`` for a database from a newer version.
    public static func openReadOnly(path: String) throws(StoreError) -> StateDatabase {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        configuration.label = "sift.state.readonly"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA mmap_size = \(Self.defaultMmapSize)")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            let known = migrator.migrations
            let unknown = try pool.read { db in
                try db.tableExists("grdb_migrations")
                    ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
            }.filter { !known.contains($0) }
            if !unknown.isEmpty {
                throw StoreError.newerSchema(path: path, unknownMigrations: unknown)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .open(path: path, message: message(of: error))
        }
        return StateDatabase(path: path, readOnlyPool: pool)
    }

    // MARK: - Meta

    /// Reads a value of the `meta` table.
    ///
    /// - Parameter key: The key.
    /// - Returns: The value, or `nil` when unset.
    /// - Throws: ``StoreError`` when SQLite fails.
    public func meta(_ key: String) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
    }

    /// Sets a value of the `meta` table.
    ///
    /// - Parameters:
    ///   - key: The key.
    ///   - value: The value.
    /// - Throws: ``StoreError`` when SQLite fails.
    public func setMeta(_ key: String, _ value: String) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [key, value]
            )
        }
    }

    /// Counts feeds, articles and clusters.
    ///
    /// - Returns: The three counts.
    /// - Throws: ``StoreError`` when SQLite fails.
    public func counts() throws(StoreError) -> (feeds: Int, articles: Int, clusters: Int) {
        try read { db in
            let feeds = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM feeds") ?? 0
            let articles = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM articles") ?? 0
            let clusters = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM clusters") ?? 0
            return (feeds, articles, clusters)
        }
    }

    // MARK: - Plumbing

    /// Runs `body` in a read transaction, mapping errors to ``StoreError``.
    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw storeError(error)
        }
    }

    /// Runs `body` in a write transaction, mapping errors to ``StoreError``.
    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw storeError(error)
        }
    }

    func storeError(_ error: any Error) -> StoreError {
        if let error = error as? StoreError {
            return error
        }
        if let error = error as? DatabaseError {
            return .sqlite(
                path: path,
                code: error.extendedResultCode.rawValue,
                message: error.message ?? "\(error.resultCode)",
                sql: error.sql
            )
        }
        return .sqlite(path: path, code: -1, message: Self.message(of: error), sql: nil)
    }

    static func message(of error: any Error) -> String {
        if let error = error as? DatabaseError {
            return "SQLite error \(error.extendedResultCode.rawValue): \(error.message ?? "\(error.resultCode)")"
        }
        return "\(error)"
    }
}

// MARK: - Column helpers

extension Date {
    /// The stored form of a date: seconds since 1970 (UTC).
    var storedValue: Double { timeIntervalSince1970 }

    init(storedValue: Double) {
        self.init(timeIntervalSince1970: storedValue)
    }
}

extension Optional where Wrapped == Date {
    var storedValue: Double? { self.map(\.timeIntervalSince1970) }
}

extension Row {
    func date(_ column: String) -> Date? {
        let value: Double? = self[column]
        return value.map(Date.init(storedValue:))
    }
}
