/// An error from the cluster directory.
///
/// Every case carries the path it concerns; system-call failures carry the `errno` value and
/// the name of the failing operation.
public enum ClusterStoreError: Error, Sendable, CustomStringConvertible {
    /// A system call failed.
    case io(path: String, operation: String, errno: Int32)
    /// Another process holds the directory's lock file: only one daemon may write a directory.
    case locked(path: String)
    /// The directory's manifest names another format.
    case unknownFormat(path: String, format: String)
    /// The directory was written in a newer format version than this build understands.
    case unsupportedVersion(path: String, found: Int, supported: Int)
    /// A file is not what the format says (bad JSON, a bad line in the middle of the log).
    case corrupt(path: String, message: String)
    /// Appended events do not continue the log's sequence.
    case notContiguous(path: String, expected: Int64, found: Int64)
    /// An id cannot be used as a file name.
    case invalidIdentifier(String)
    /// The path is not a cluster directory (no manifest).
    case notAClusterDirectory(path: String)

    /// The path the error concerns.
    public var path: String {
        switch self {
        case .io(let path, _, _), .locked(let path), .unknownFormat(let path, _), .unsupportedVersion(let path, _, _),
            .corrupt(let path, _), .notContiguous(let path, _, _), .invalidIdentifier(let path),
            .notAClusterDirectory(let path):
            return path
        }
    }

    /// A one-line description for logs.
    public var description: String {
        switch self {
        case .io(let path, let operation, let code):
            return "\(operation) failed for \(path): \(systemErrorMessage(code)) (errno \(code))"
        case .locked(let path):
            return "cluster directory \(path) is locked by another process (only one daemon may write it)"
        case .unknownFormat(let path, let format):
            return "\(path) is not a sift cluster directory (format \"\(format)\")"
        case .unsupportedVersion(let path, let found, let supported):
            return "cluster directory \(path) has format version \(found); this build supports up to \(supported)"
        case .corrupt(let path, let message):
            return "corrupt file \(path): \(message)"
        case .notContiguous(let path, let expected, let found):
            return "events for \(path) are not contiguous: expected sequence \(expected), got \(found)"
        case .invalidIdentifier(let id):
            return "id \"\(id.prefix(80))\" cannot be used as a file name"
        case .notAClusterDirectory(let path):
            return "\(path) is not a cluster directory (no manifest.json)"
        }
    }
}
