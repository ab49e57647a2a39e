/// Why the daemon cannot start, or why a command failed.
///
/// Feed- and article-level failures are not errors of this kind: they are logged, counted and
/// skipped. These are the failures that stop the process (a bad configuration, an unusable data
/// directory), and each description is one line saying what to fix.
public enum DaemonError: Error, Sendable, CustomStringConvertible {
    /// The configuration file named with `--config` does not exist.
    case configFileNotFound(path: String)
    /// The configuration file could not be read or parsed.
    case configFileUnreadable(path: String, message: String)
    /// A configuration value has the wrong type or is out of range.
    case invalidValue(key: String, value: String, fix: String)
    /// A `--set` key that is not a configuration key.
    case unknownKey(key: String)
    /// A `--set` argument that is not `key=value`.
    case malformedOverride(String)
    /// A feed list (OPML or plain text) could not be read.
    case feedListUnreadable(path: String, message: String)
    /// The data directory cannot be created, locked or written.
    case dataDirectory(path: String, message: String)
    /// The state database failed.
    case state(path: String, message: String)
    /// The demo's sample site was not found.
    case siteNotFound(searched: [String])
    /// A loopback server could not be started.
    case server(message: String)

    /// A one-line description saying what went wrong and how to fix it.
    public var description: String {
        switch self {
        case .configFileNotFound(let path):
            "configuration file not found: \(path) (check the --config path, or omit --config to use the defaults)"
        case .configFileUnreadable(let path, let message):
            "cannot read configuration file \(path): \(message)"
        case .invalidValue(let key, let value, let fix):
            "invalid configuration value \(key)=\(value.isEmpty ? "\"\"" : value): \(fix)"
        case .unknownKey(let key):
            "unknown configuration key \(key) (run `sift check-config` to list the keys)"
        case .malformedOverride(let text):
            "malformed --set \(text): expected key=value, e.g. --set fetch.total_timeout_seconds=20"
        case .feedListUnreadable(let path, let message):
            "cannot read feed list \(path): \(message)"
        case .dataDirectory(let path, let message):
            "data directory \(path) is unusable: \(message)"
        case .state(let path, let message):
            "state database \(path) failed: \(message)"
        case .siteNotFound(let searched):
            "sample site not found (looked in \(searched.joined(separator: ", "))); pass --site DIR"
        case .server(let message):
            "cannot start the loopback server: \(message)"
        }
    }
}
