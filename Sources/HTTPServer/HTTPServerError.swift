/// Why a ``LoopbackHTTPServer`` could not start.
public enum HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// A socket call failed; `operation` names the call, `errno` is its error number.
    case socket(operation: String, errno: Int32)
    /// The server thread could not be started.
    case thread(errno: Int32)

    /// A log-friendly description.
    public var description: String {
        switch self {
        case .socket(let operation, let code): "\(operation) failed: \(errnoText(code)) (errno \(code))"
        case .thread(let code): "pthread_create failed: \(errnoText(code)) (errno \(code))"
        }
    }
}
