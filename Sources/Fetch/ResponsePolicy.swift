/// Turns a transport response into a ``FetchResult`` or a ``FetchError``.
///
/// Pure: no I/O, so it is tested with hand-built responses.
struct ResponsePolicy {
    /// The transport-independent part of a response.
    struct Response {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        var finalURL: String
        var hops: [(status: Int, location: String?)]
        var durationSeconds: Double

        func header(_ name: String) -> String? {
            let lower = name.lowercased()
            return headers.first { $0.name.lowercased() == lower }?.value
        }
    }

    /// Maps a response to the result or error for `request`; `now` is seconds since the epoch.
    static func evaluate(_ response: Response, for request: FetchRequest, now: Int) -> Result<FetchResult, FetchError> {
        let url = request.url
        let status = response.status
        switch status {
        case 200..<300, 304:
            break
        case 410:
            return .failure(.gone(url: url))
        default:
            let retryAfter = response.header("Retry-After").flatMap { retryAfterSeconds($0, now: now) }
            return .failure(.http(url: url, status: status, retryAfterSeconds: retryAfter))
        }
        let etag = response.header("ETag")
        let lastModified = response.header("Last-Modified")
        var unchanged = status == 304
        if !unchanged, let sent = request.etag, let etag {
            unchanged = sent == etag
        } else if !unchanged, request.etag == nil || etag == nil, let sent = request.lastModified, let lastModified {
            unchanged = etag == nil && sent == lastModified
        }
        return .success(
            FetchResult(
                requestedURL: url,
                finalURL: response.finalURL,
                status: status,
                notModified: unchanged,
                body: status == 304 ? [] : response.body,
                contentType: response.header("Content-Type"),
                etag: etag ?? (status == 304 ? request.etag : nil),
                lastModified: lastModified ?? (status == 304 ? request.lastModified : nil),
                permanentRedirectURL: permanentTarget(response.hops),
                cacheMaxAgeSeconds: maxAge(response, now: now),
                durationSeconds: response.durationSeconds
            )
        )
    }

    /// The target of the last permanent redirect in the leading run of permanent redirects.
    static func permanentTarget(_ hops: [(status: Int, location: String?)]) -> String? {
        var target: String?
        for hop in hops {
            guard hop.status == 301 || hop.status == 308, let location = hop.location else { break }
            target = location
        }
        return target
    }

    /// `Retry-After` as seconds from `now` (delta-seconds or an HTTP date), never negative.
    static func retryAfterSeconds(_ value: String, now: Int) -> Double? {
        let trimmed = value.trimmingWhitespace()
        if let seconds = Double(trimmed), seconds.isFinite { return max(0, seconds) }
        if let date = HTTPDate.parse(trimmed) { return Double(max(0, date - now)) }
        return nil
    }

    /// `Cache-Control: max-age` (no-store/no-cache count as 0), else `Expires` − `Date`.
    static func maxAge(_ response: Response, now: Int) -> Int? {
        if let control = response.header("Cache-Control")?.lowercased() {
            for directive in control.split(separator: ",") {
                let d = directive.trimmingWhitespace()
                if d == "no-store" || d == "no-cache" { return 0 }
                if d.hasPrefix("max-age="), let n = Int(d.dropFirst("max-age=".count).trimmingWhitespace()) {
                    return max(0, n)
                }
            }
        }
        if let expires = response.header("Expires") {
            guard let end = HTTPDate.parse(expires) else { return 0 }  // invalid Expires means already expired
            let start = response.header("Date").flatMap(HTTPDate.parse) ?? now
            return max(0, end - start)
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = self[...]
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
