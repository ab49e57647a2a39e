import Glibc

extension LoopbackHTTPServer {
    /// A handler serving the files under `root`.
    ///
    /// GET and HEAD only (others get 405). `/dir/` serves `dir/index.html`; paths with `..`
    /// segments get 404. `Content-Type` comes from the file extension; text types carry a
    /// charset, taken from the trimmed contents of a file named `.charset` in the file's
    /// directory or the nearest ancestor up to `root`, else `utf-8`. Every response carries an
    /// `ETag` (from modification time and size) and `Last-Modified`; a matching `If-None-Match`,
    /// or an `If-Modified-Since` not older than the file, gets 304. Every `__ORIGIN__` in the file
    /// is replaced byte-wise with `origin()`, so bundled pages can link to the server itself.
    ///
    /// - Parameters:
    ///   - root: The directory to serve.
    ///   - origin: Returns the server's origin (called per request; the port is known only after
    ///     the server started).
    /// - Returns: A handler for ``init(maxLifetimeSeconds:handler:)``.
    public static func staticSite(
        root: String,
        origin: @escaping @Sendable () -> String
    ) -> @Sendable (HTTPRequest) -> HTTPResponse {
        let root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        return { request in
            guard request.method == "GET" || request.method == "HEAD" else {
                var response = HTTPResponse.text("method not allowed\n", status: 405)
                response.headers.append(("Allow", "GET, HEAD"))
                return response
            }
            let segments = request.path.split(separator: "/")
            guard !segments.contains(where: { $0 == ".." || $0.contains("\0") }) else { return .notFound }
            var relative = segments.joined(separator: "/")
            var info = stat()
            guard stat(root + "/" + relative, &info) == 0 else { return .notFound }
            if info.st_mode & S_IFMT == S_IFDIR {
                relative += relative.isEmpty ? "index.html" : "/index.html"
                guard stat(root + "/" + relative, &info) == 0 else { return .notFound }
            }
            guard info.st_mode & S_IFMT == S_IFREG, let raw = readWholeFile(root + "/" + relative) else {
                return .notFound
            }
            let mtime = Int(info.st_mtim.tv_sec)
            let etag = "\"\(String(mtime, radix: 16))-\(String(raw.count, radix: 16))\""
            let lastModified = httpDate(mtime)
            let validators: [(name: String, value: String)] = [("ETag", etag), ("Last-Modified", lastModified)]
            if let inm = request.headers["if-none-match"] {
                let tags = inm.split(separator: ",").map { tag -> String in
                    let t = tag.trimmingSpaces()
                    return t.hasPrefix("W/") ? String(t.dropFirst(2)) : t
                }
                if tags.contains("*") || tags.contains(etag) {
                    return HTTPResponse(status: 304, headers: validators)
                }
            } else if let ims = request.headers["if-modified-since"], let since = parseHTTPDate(ims), mtime <= since {
                return HTTPResponse(status: 304, headers: validators)
            }
            let body = replacing(Array("__ORIGIN__".utf8), with: Array(origin().utf8), in: raw)
            let type = contentType(for: relative, root: root)
            return HTTPResponse(status: 200, headers: [("Content-Type", type)] + validators, body: body)
        }
    }

    static func contentType(for relative: String, root: String) -> String {
        let name = relative.split(separator: "/").last.map(String.init) ?? ""
        let ext = name.split(separator: ".").count > 1 ? name.split(separator: ".").last?.lowercased() ?? "" : ""
        let (type, isText): (String, Bool) =
            switch ext {
            case "html", "htm": ("text/html", true)
            case "xml": ("application/xml", true)
            case "rss": ("application/rss+xml", true)
            case "atom": ("application/atom+xml", true)
            case "rdf": ("application/rdf+xml", true)
            case "opml": ("text/x-opml", true)
            case "json": ("application/json", true)
            case "txt", "md": ("text/plain", true)
            case "css": ("text/css", true)
            case "js": ("text/javascript", true)
            case "svg": ("image/svg+xml", true)
            case "png": ("image/png", false)
            case "jpg", "jpeg": ("image/jpeg", false)
            case "gif": ("image/gif", false)
            case "webp": ("image/webp", false)
            case "ico": ("image/x-icon", false)
            case "gz": ("application/gzip", false)
            default: ("application/octet-stream", false)
            }
        guard isText else { return type }
        return "\(type); charset=\(charset(for: relative, root: root))"
    }

    /// The charset from the nearest `.charset` file between the file's directory and `root`.
    static func charset(for relative: String, root: String) -> String {
        var directories = relative.split(separator: "/").dropLast().map(String.init)
        while true {
            let dir = ([root] + directories).joined(separator: "/")
            if let bytes = readWholeFile(dir + "/.charset") {
                let value = String(decoding: bytes, as: UTF8.self).trimmingSpaces()
                if !value.isEmpty { return value }
            }
            if directories.isEmpty { return "utf-8" }
            directories.removeLast()
        }
    }
}

/// Reads a regular file; `nil` if it cannot be opened or read.
func readWholeFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 << 10)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            return nil
        }
        if n == 0 { return out }
        out.append(contentsOf: chunk[..<n])
    }
}

/// Replaces every occurrence of `needle` in `haystack` with `replacement`.
func replacing(_ needle: [UInt8], with replacement: [UInt8], in haystack: [UInt8]) -> [UInt8] {
    guard !needle.isEmpty, haystack.count >= needle.count else { return haystack }
    var out: [UInt8] = []
    out.reserveCapacity(haystack.count)
    var i = 0
    let first = needle[0]
    while i < haystack.count {
        if haystack[i] == first, i + needle.count <= haystack.count,
            haystack[i..<(i + needle.count)].elementsEqual(needle)
        {
            out.append(contentsOf: replacement)
            i += needle.count
        } else {
            out.append(haystack[i])
            i += 1
        }
    }
    return out
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" || f.isNewline { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l.isNewline { s = s.dropLast() }
        return String(s)
    }
}
