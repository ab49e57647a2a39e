private import CCurl

/// URL parsing and resolution with libcurl's URL API (the same parser the transfers use).
public enum CurlURL {
    /// The parts of an absolute URL.
    public struct Parts: Sendable, Hashable {
        /// The scheme, lower-cased by libcurl.
        public var scheme: String
        /// The user name, if any.
        public var user: String?
        /// The password, if any.
        public var password: String?
        /// The host (IPv6 in brackets), as written apart from IDN handling.
        public var host: String
        /// The explicit port, if any.
        public var port: Int?
        /// The path, at least `/`.
        public var path: String
        /// The query without `?`, if any.
        public var query: String?
        /// The fragment without `#`, if any.
        public var fragment: String?
    }

    /// Resolves `reference` against `base` (RFC 3986); with `base` nil, `reference` must be absolute.
    ///
    /// - Parameters:
    ///   - reference: An absolute or relative URL.
    ///   - base: The absolute base URL.
    /// - Returns: The absolute URL, or `nil` if either cannot be parsed.
    public static func resolve(_ reference: String, relativeTo base: String?) -> String? {
        guard let handle = URLHandle() else { return nil }
        if let base {
            guard handle.set(CURLUPART_URL, base, flags: 0) else { return nil }
        }
        guard handle.set(CURLUPART_URL, reference, flags: 0) else { return nil }
        return handle.get(CURLUPART_URL)
    }

    /// Splits an absolute URL (any scheme) into parts.
    ///
    /// - Parameter url: The absolute URL.
    /// - Returns: The parts, or `nil` if it cannot be parsed.
    public static func parse(_ url: String) -> Parts? {
        guard let handle = URLHandle(),
            handle.set(CURLUPART_URL, url, flags: UInt32(CURLU_NON_SUPPORT_SCHEME)),
            let scheme = handle.get(CURLUPART_SCHEME),
            let host = handle.get(CURLUPART_HOST)
        else { return nil }
        return Parts(
            scheme: scheme,
            user: handle.get(CURLUPART_USER),
            password: handle.get(CURLUPART_PASSWORD),
            host: host,
            port: handle.get(CURLUPART_PORT).flatMap { Int($0) },
            path: handle.get(CURLUPART_PATH) ?? "/",
            query: handle.get(CURLUPART_QUERY),
            fragment: handle.get(CURLUPART_FRAGMENT)
        )
    }
}

/// Owns a `CURLU` handle.
private final class URLHandle {
    let raw: OpaquePointer

    init?() {
        guard let raw = curl_url() else { return nil }
        self.raw = raw
    }

    deinit { curl_url_cleanup(raw) }

    func set(_ part: CURLUPart, _ value: String, flags: UInt32) -> Bool {
        curl_url_set(raw, part, value, flags) == CURLUE_OK
    }

    func get(_ part: CURLUPart) -> String? {
        var out: UnsafeMutablePointer<CChar>?
        guard curl_url_get(raw, part, &out, 0) == CURLUE_OK, let out else { return nil }
        defer { curl_free(out) }
        return String(cString: out)
    }
}
