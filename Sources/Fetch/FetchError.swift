/// Why a fetch failed; each case carries the URL for the log line.
public enum FetchError: Error, Sendable, CustomStringConvertible {
    /// The URL is malformed or not `http`/`https`.
    case invalidURL(String)
    /// A connection to a non-public `address` was refused.
    case blockedAddress(url: String, address: String)
    /// Name resolution failed.
    case dns(url: String, message: String)
    /// The connection could not be established.
    case connect(url: String, message: String)
    /// TLS handshake or certificate verification failed.
    case tls(url: String, message: String)
    /// A time limit (connect, total, low speed) was hit.
    case timeout(url: String, message: String)
    /// The decoded body exceeded `limit` bytes.
    case tooLarge(url: String, limit: Int)
    /// More redirects than allowed (or a loop).
    case tooManyRedirects(url: String)
    /// The server answered with an error or unusable status.
    case http(url: String, status: Int, retryAfterSeconds: Double?)
    /// The server answered 410 Gone.
    case gone(url: String)
    /// Another transfer failure; `code` is the CURLcode (or -1).
    case transfer(url: String, code: Int, message: String)
    /// The fetch was cancelled (task cancelled or fetcher shut down).
    case cancelled(url: String)

    /// A stable, metric-friendly class name.
    public var errorClass: String {
        switch self {
        case .invalidURL: "invalid_url"
        case .blockedAddress: "blocked"
        case .dns: "dns"
        case .connect: "connect"
        case .tls: "tls"
        case .timeout: "timeout"
        case .tooLarge: "too_large"
        case .tooManyRedirects: "redirects"
        case .http(_, let status, _): status >= 500 ? "http_5xx" : "http_4xx"
        case .gone: "gone"
        case .transfer: "transfer"
        case .cancelled: "cancelled"
        }
    }

    /// The server's `Retry-After`, in seconds, for an HTTP error that carried one.
    public var retryAfterSeconds: Double? {
        if case .http(_, _, let retryAfter) = self { return retryAfter }
        return nil
    }

    /// The URL the error concerns.
    public var url: String {
        switch self {
        case .invalidURL(let url): url
        case .blockedAddress(let url, _), .dns(let url, _), .connect(let url, _), .tls(let url, _),
            .timeout(let url, _), .tooLarge(let url, _), .tooManyRedirects(let url), .http(let url, _, _),
            .gone(let url), .transfer(let url, _, _), .cancelled(let url):
            url
        }
    }

    /// A log-friendly description.
    public var description: String {
        switch self {
        case .invalidURL(let url): "invalid URL \(url)"
        case .blockedAddress(let url, let address): "\(url): connection to non-public address \(address) refused"
        case .dns(let url, let message): "\(url): DNS failure: \(message)"
        case .connect(let url, let message): "\(url): connect failure: \(message)"
        case .tls(let url, let message): "\(url): TLS failure: \(message)"
        case .timeout(let url, let message): "\(url): timeout: \(message)"
        case .tooLarge(let url, let limit): "\(url): body larger than \(limit) bytes"
        case .tooManyRedirects(let url): "\(url): too many redirects"
        case .http(let url, let status, let retryAfter):
            "\(url): HTTP \(status)" + (retryAfter.map { " (retry after \(Int($0)) s)" } ?? "")
        case .gone(let url): "\(url): 410 Gone"
        case .transfer(let url, let code, let message): "\(url): transfer failed: \(message) (code \(code))"
        case .cancelled(let url): "\(url): cancelled"
        }
    }
}
