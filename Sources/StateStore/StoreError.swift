/// An error from the state database.
///
/// Every case carries the database path, so a log line says which file failed, and the
/// underlying SQLite message or code where there is one.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// The database file could not be opened or created.
    case open(path: String, message: String)
    /// SQLite reported an error while reading or writing.
    case sqlite(path: String, code: Int32, message: String, sql: String?)
    /// The schema migrations could not be applied.
    case migration(path: String, message: String)
    /// The database was written by a newer version of the program (it has migrations this
    /// version does not know) and is left untouched.
    case newerSchema(path: String, unknownMigrations: [String])
    /// A write named a feed the database does not know.
    case unknownFeed(path: String, url: String)
    /// A write contradicts what is stored (a duplicate article, a missing or duplicate cluster).
    case conflict(path: String, message: String)
    /// A stored value could not be decoded (for example a signature BLOB of the wrong length).
    case corrupt(path: String, message: String)

    /// The database path the error concerns.
    public var path: String {
        switch self {
        case .open(let path, _), .sqlite(let path, _, _, _), .migration(let path, _), .newerSchema(let path, _),
            .unknownFeed(let path, _), .conflict(let path, _), .corrupt(let path, _):
            return path
        }
    }

    /// A one-line description for logs.
    public var description: String {
        switch self {
        case .open(let path, let message):
            return "cannot open state database \(path): \(message)"
        case .sqlite(let path, let code, let message, let sql):
            let statement = sql.map { " (in: \($0.prefix(120)))" } ?? ""
            return "state database \(path): SQLite error \(code): \(message)\(statement)"
        case .migration(let path, let message):
            return "state database \(path): migration failed: \(message)"
        case .newerSchema(let path, let unknown):
            return "state database \(path) was written by a newer version (unknown migrations: "
                + "\(unknown.joined(separator: ", "))); refusing to use it"
        case .unknownFeed(let path, let url):
            return "state database \(path): unknown feed \(url)"
        case .conflict(let path, let message):
            return "state database \(path): conflict: \(message)"
        case .corrupt(let path, let message):
            return "state database \(path): corrupt value: \(message)"
        }
    }
}
