/// One parsed HTTP/1.1 request as the server's handler sees it.
///
/// The server reads the request line, the header block and a `Content-Length` body; header names
/// are lower-cased, and when a header repeats, its values are joined with ", ".
public struct HTTPRequest: Sendable {
    /// The request method, as sent (`GET`, `HEAD`, `POST`, …).
    public var method: String
    /// The raw request target, e.g. `/feeds/a%20b.xml?x=1`.
    public var target: String
    /// The percent-decoded path without the query, e.g. `/feeds/a b.xml`.
    public var path: String
    /// The raw query string after `?`, without the `?`, or `nil` when the target has none.
    public var query: String?
    /// The request headers keyed by lower-cased name.
    public var headers: [String: String]
    /// The request body (empty unless the request carried `Content-Length`).
    public var body: [UInt8]

    /// Creates a request value.
    ///
    /// - Parameters:
    ///   - method: The request method.
    ///   - target: The raw request target; `path` and `query` are derived from it.
    ///   - headers: Headers keyed by lower-cased name.
    ///   - body: The request body.
    public init(method: String, target: String, headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.target = target
        let (rawPath, query) = Self.split(target: target)
        self.path = Self.percentDecode(rawPath)
        self.query = query
        self.headers = headers
        self.body = body
    }

    static func split(target: String) -> (path: String, query: String?) {
        var t = Substring(target)
        if let hash = t.firstIndex(of: "#") { t = t[..<hash] }
        // An absolute-form target ("http://host/path") keeps only its path.
        if t.hasPrefix("http://") || t.hasPrefix("https://") {
            let afterScheme = t[t.index(t.firstIndex(of: ":") ?? t.startIndex, offsetBy: 3)...]
            t = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? "/"
        }
        if let q = t.firstIndex(of: "?") {
            return (String(t[..<q]), String(t[t.index(after: q)...]))
        }
        return (String(t), nil)
    }

    static func percentDecode(_ s: String) -> String {
        var out: [UInt8] = []
        let bytes = Array(s.utf8)
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
                let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2])
            {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
