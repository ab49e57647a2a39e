/// A response for ``LoopbackHTTPServer`` to send, with an optional hostile behaviour.
///
/// Normal responses carry `Content-Length`; the behaviours let tests and benchmarks imitate slow,
/// endless or silent servers.
public struct HTTPResponse: Sendable {
    /// How the server delivers the response.
    public enum Behaviour: Sendable {
        /// Headers, then the whole body at once.
        case normal
        /// Headers (with the full `Content-Length`), then `chunkBytes` of body every `intervalSeconds`.
        case trickle(chunkBytes: Int, intervalSeconds: Double)
        /// Headers without a length, the body, then `chunkBytes`-sized blocks of `x` until the
        /// client goes away or the server stops.
        case endless(chunkBytes: Int)
        /// Wait `seconds` (or until the server stops) before sending a normal response.
        case stallBeforeHeaders(seconds: Double)
        /// Close the connection without writing anything.
        case closeWithoutResponse
        /// A status line, then header lines of about `chunkBytes` each, without end, until the
        /// client goes away or the server stops.
        case endlessHeaders(chunkBytes: Int)
    }

    /// The status code.
    public var status: Int
    /// Response headers in order; `Content-Length` and `Connection` are added by the server.
    public var headers: [(name: String, value: String)]
    /// The response body (omitted on the wire for `HEAD`, 204 and 304).
    public var body: [UInt8]
    /// How the response is delivered.
    public var behaviour: Behaviour

    /// Creates a response.
    ///
    /// - Parameters:
    ///   - status: The status code.
    ///   - headers: Headers in order.
    ///   - body: The body bytes.
    ///   - behaviour: How to deliver it.
    public init(
        status: Int = 200,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        behaviour: Behaviour = .normal
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.behaviour = behaviour
    }

    /// A text response.
    ///
    /// - Parameters:
    ///   - s: The body, sent as UTF-8.
    ///   - status: The status code.
    ///   - contentType: The `Content-Type` header value.
    public static func text(
        _ s: String,
        status: Int = 200,
        contentType: String = "text/plain; charset=utf-8"
    ) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", contentType)], body: Array(s.utf8))
    }

    /// A redirect to `location`.
    ///
    /// - Parameters:
    ///   - location: The `Location` header value (absolute or relative).
    ///   - status: 301, 302, 303, 307 or 308.
    public static func redirect(to location: String, status: Int = 302) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Location", location)], body: [])
    }

    /// A plain 404 response.
    public static let notFound = HTTPResponse.text("not found\n", status: 404)

    /// The value of the first header named `name` (case-insensitive), if any.
    ///
    /// - Parameter name: The header name.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

extension HTTPResponse {
    /// The reason phrase for a status code.
    static func reason(for status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 410: "Gone"
        case 413: "Content Too Large"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status \(status)"
        }
    }
}
