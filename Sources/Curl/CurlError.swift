/// Why a libcurl call or transfer failed.
public enum CurlError: Error, Sendable, CustomStringConvertible {
    /// libcurl or the client's thread could not be set up.
    case initialization(message: String)
    /// The client was shut down before or during the transfer.
    case shutDown
    /// The awaiting task was cancelled; the transfer was aborted.
    case cancelled
    /// The decoded body exceeded `limit` bytes; the transfer was aborted.
    case bodyTooLarge(limit: Int)
    /// The response headers (all hops together) exceeded `limit` bytes; the transfer was aborted.
    case headersTooLarge(limit: Int)
    /// The address guard refused a connection to `address`.
    case addressBlocked(address: String)
    /// Setting an option failed (`code` is the CURLcode).
    case option(name: String, code: Int)
    /// The transfer failed with CURLcode `code`; `message` is libcurl's detailed text.
    case transfer(code: Int, message: String)

    /// A coarse classification of transfer failures.
    public enum Category: String, Sendable {
        /// Name resolution failed (also the proxy's).
        case dns
        /// The connection could not be established.
        case connect
        /// A time limit (connect, total or low speed) was hit.
        case timeout
        /// TLS handshake or certificate failure.
        case tls
        /// More redirects than allowed.
        case tooManyRedirects
        /// The URL was malformed or its scheme not allowed.
        case badURL
        /// Anything else.
        case other
    }

    /// The category of a ``transfer(code:message:)`` failure; `.other` for the remaining cases.
    public var category: Category {
        guard case .transfer(let code, _) = self else { return .other }
        switch code {
        case 5, 6: return .dns  // COULDNT_RESOLVE_PROXY, COULDNT_RESOLVE_HOST
        case 7: return .connect  // COULDNT_CONNECT
        case 28: return .timeout  // OPERATION_TIMEDOUT (also the low-speed limit)
        case 35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91: return .tls
        case 47: return .tooManyRedirects  // TOO_MANY_REDIRECTS
        case 1, 3: return .badURL  // UNSUPPORTED_PROTOCOL, URL_MALFORMAT
        default: return .other
        }
    }

    /// A log-friendly description.
    public var description: String {
        switch self {
        case .initialization(let message): "curl initialisation failed: \(message)"
        case .shutDown: "curl client shut down"
        case .cancelled: "transfer cancelled"
        case .bodyTooLarge(let limit): "body larger than \(limit) bytes"
        case .headersTooLarge(let limit): "response headers larger than \(limit) bytes"
        case .addressBlocked(let address): "connection to \(address) refused by the address guard"
        case .option(let name, let code): "curl option \(name) failed (CURLcode \(code))"
        case .transfer(let code, let message): "\(message) (CURLcode \(code))"
        }
    }
}
