import Glibc
import HTTPServer
import Testing

struct StaticSiteTests {
    /// Creates a temporary site: index.html, feeds/a.xml (with __ORIGIN__), latin/.charset, latin/p.html.
    static func makeSite() throws -> String {
        var template = Array("/tmp/sift-site-XXXXXX".utf8CString)
        let dir: UnsafeMutablePointer<CChar>? = template.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return mkdtemp(base)
        }
        let root = String(cString: try #require(dir))
        mkdir(root + "/feeds", 0o755)
        mkdir(root + "/latin", 0o755)
        write(root + "/index.html", "<p>home</p>")
        write(root + "/feeds/a.xml", "<rss><link>__ORIGIN__/p/1</link><x>__ORIGIN__</x></rss>")
        write(root + "/latin/.charset", "iso-8859-1\n")
        write(root + "/latin/p.html", "<p>caf\u{e9}</p>")
        return root
    }

    /// Removes a directory made by ``makeSite()``.
    static func removeTree(_ root: String) {
        for path in ["/latin/p.html", "/latin/.charset", "/feeds/a.xml", "/index.html"] { unlink(root + path) }
        for path in ["/latin", "/feeds", ""] { rmdir(root + path) }
    }

    static func write(_ path: String, _ text: String) {
        guard let f = fopen(path, "wb") else { return }
        _ = Array(text.utf8).withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }

    static func serve(_ root: String) throws -> LoopbackHTTPServer {
        let origin = OriginBox()
        let server = try LoopbackHTTPServer(
            maxLifetimeSeconds: 30,
            handler: LoopbackHTTPServer.staticSite(root: root, origin: { origin.value })
        )
        origin.set(server.origin)
        return server
    }

    @Test func servesFilesWithOriginReplacedAndTypes() throws {
        let root = try Self.makeSite()
        defer { Self.removeTree(root) }
        let server = try Self.serve(root)
        defer { server.stop() }
        let feed = try #require(RawClient.request(port: server.port, target: "/feeds/a.xml"))
        #expect(feed.status == 200)
        #expect(feed.text == "<rss><link>\(server.origin)/p/1</link><x>\(server.origin)</x></rss>")
        #expect(feed.headers["content-type"] == "application/xml; charset=utf-8")
        #expect(feed.headers["etag"] != nil)
        #expect(feed.headers["last-modified"] != nil)
        let index = try #require(RawClient.request(port: server.port, target: "/"))
        #expect(index.text == "<p>home</p>")
        #expect(index.headers["content-type"] == "text/html; charset=utf-8")
        let latin = try #require(RawClient.request(port: server.port, target: "/latin/p.html"))
        #expect(latin.headers["content-type"] == "text/html; charset=iso-8859-1")
    }

    @Test func conditionalRequestsGet304() throws {
        let root = try Self.makeSite()
        defer { Self.removeTree(root) }
        let server = try Self.serve(root)
        defer { server.stop() }
        let first = try #require(RawClient.request(port: server.port, target: "/feeds/a.xml"))
        let etag = try #require(first.headers["etag"])
        let lastModified = try #require(first.headers["last-modified"])
        let byTag = try #require(
            RawClient.request(port: server.port, target: "/feeds/a.xml", headers: ["If-None-Match": etag])
        )
        #expect(byTag.status == 304)
        #expect(byTag.body.isEmpty)
        #expect(byTag.headers["etag"] == etag)
        let byDate = try #require(
            RawClient.request(port: server.port, target: "/feeds/a.xml", headers: ["If-Modified-Since": lastModified])
        )
        #expect(byDate.status == 304)
        let stale = try #require(
            RawClient.request(port: server.port, target: "/feeds/a.xml", headers: ["If-None-Match": "\"other\""])
        )
        #expect(stale.status == 200)
        let old = try #require(
            RawClient.request(
                port: server.port,
                target: "/feeds/a.xml",
                headers: ["If-Modified-Since": "Sun, 06 Nov 1994 08:49:37 GMT"]
            )
        )
        #expect(old.status == 200)
    }

    @Test func refusesTraversalMissingFilesAndOtherMethods() throws {
        let root = try Self.makeSite()
        defer { Self.removeTree(root) }
        let server = try Self.serve(root)
        defer { server.stop() }
        #expect(RawClient.request(port: server.port, target: "/../etc/passwd")?.status == 404)
        #expect(RawClient.request(port: server.port, target: "/feeds/%2e%2e/%2e%2e/etc/passwd")?.status == 404)
        #expect(RawClient.request(port: server.port, target: "/nope.xml")?.status == 404)
        #expect(RawClient.request(port: server.port, method: "DELETE", target: "/index.html")?.status == 405)
        let head = try #require(RawClient.request(port: server.port, method: "HEAD", target: "/index.html"))
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
    }
}

/// The origin, set once the server has started.
final class OriginBox: @unchecked Sendable {
    // Guarded by `lock`; @unchecked because pthread mutexes are not Sendable-typed.
    private var stored = ""
    private var lock = pthread_mutex_t()
    init() { pthread_mutex_init(&lock, nil) }
    var value: String {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return stored
    }
    func set(_ s: String) {
        pthread_mutex_lock(&lock)
        stored = s
        pthread_mutex_unlock(&lock)
    }
}
