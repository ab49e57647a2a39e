import Glibc
import HTTPServer
import Testing

struct LoopbackHTTPServerTests {
    @Test func servesTheHandlersResponseWithContentLength() throws {
        let server = try LoopbackHTTPServer(maxLifetimeSeconds: 30) { _ in .text("hello") }
        defer { server.stop() }
        #expect(server.origin == "http://127.0.0.1:\(server.port)")
        let response = try #require(RawClient.request(port: server.port, target: "/"))
        #expect(response.status == 200)
        #expect(response.headers["content-length"] == "5")
        #expect(response.headers["content-type"] == "text/plain; charset=utf-8")
        #expect(response.text == "hello")
    }

    @Test func handlerSeesDecodedPathQueryAndLowercasedHeaders() throws {
        let server = try LoopbackHTTPServer(maxLifetimeSeconds: 30) { request in
            .text("\(request.method)|\(request.path)|\(request.query ?? "-")|\(request.headers["x-thing"] ?? "-")")
        }
        defer { server.stop() }
        let response = try #require(
            RawClient.request(port: server.port, target: "/a%20b/c.xml?x=1&y=%20", headers: ["X-Thing": "v"])
        )
        #expect(response.text == "GET|/a b/c.xml|x=1&y=%20|v")
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        let server = try LoopbackHTTPServer(maxLifetimeSeconds: 30) { request in .text(request.path) }
        defer { server.stop() }
        let fd = RawClient.connectTo(port: server.port)
        try #require(fd >= 0)
        defer { close(fd) }
        RawClient.send(
            fd, "GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let text = String(decoding: RawClient.readAll(fd), as: UTF8.self)
        #expect(text.contains("/one"))
        #expect(text.contains("/two"))
        #expect(text.split(separator: "HTTP/1.1 200 OK", omittingEmptySubsequences: false).count == 3)
        #expect(server.requestCount == 2)
    }

    @Test func headSendsHeadersWithoutBody() throws {
        let server = try LoopbackHTTPServer(maxLifetimeSeconds: 30) { _ in .text("0123456789") }
        defer { server.stop() }
        let fd = RawClient.connectTo(port: server.port)
        try #require(fd >= 0)
        defer { close(fd) }
        RawClient.send(fd, "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let raw = String(decoding: RawClient.readAll(fd), as: UTF8.self)
        #expect(raw.contains("Content-Length: 10"))
        #expect(raw.hasSuffix("\r\n\r\n"))
    }

    @Test func redirectAndNotFoundHelpers() throws {
        let server = try LoopbackHTTPServer(maxLifetimeSeconds: 30) { request in
            request.path == "/old" ? .redirect(to: "/new", status: 301) : .notFound
        }
        defer { server.stop() }
        let moved = try #require(RawClient.request(port: server.port, target: "/old"))
        #expect(moved.status == 301)
        #expect(moved.headers["location"] == "/new")
        let missing = try #require(RawClient.request(port: server.port, target: "/x"))
        #expect(missing.status == 404)
    }

    @Test func closeWithoutResponseSendsNothing() throws {
        let server = try LoopbackHTTPServer(maxLifetimeSeconds: 30) { _ in
            HTTPResponse(behaviour: .closeWithoutResponse)
        }
        defer { server.stop() }
        let fd = RawClient.connectTo(port: server.port)
        try #require(fd >= 0)
        defer { close(fd) }
        RawClient.send(fd, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(RawClient.readAll(fd).isEmpty)
    }

    @Test func trickleDeliversTheWholeBodySlowly() async throws {
        let body = [UInt8](repeating: UInt8(ascii: "a"), count: 30)
        let server = try LoopbackHTTPServer(maxLifetimeSeconds: 30) { _ in
            HTTPResponse(body: body, behaviour: .trickle(chunkBytes: 10, intervalSeconds: 0.05))
        }
        defer { server.stop() }
        let start = monotonic()
        let response = try #require(RawClient.request(port: server.port, target: "/"))
        #expect(response.body == body)
        #expect(monotonic() - start >= 0.09)
    }

    @Test func stopEndsAnEndlessResponseAndClosesTheListener() async throws {
        let server = try LoopbackHTTPServer(maxLifetimeSeconds: 30) { _ in
            HTTPResponse(behaviour: .endless(chunkBytes: 4096))
        }
        let fd = RawClient.connectTo(port: server.port)
        try #require(fd >= 0)
        defer { close(fd) }
        RawClient.send(fd, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        var chunk = [UInt8](repeating: 0, count: 4096)
        let first = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        #expect(first > 0)
        let start = monotonic()
        server.stop()
        server.stop()
        _ = RawClient.readAll(fd)  // ends when the server shuts the connection down
        #expect(monotonic() - start < 3)
        #expect(server.isStopped)
        try await Task.sleep(for: .milliseconds(300))
        #expect(RawClient.request(port: server.port, target: "/") == nil)
    }

    @Test func serverStopsByItselfAfterItsLifetime() async throws {
        let server = try LoopbackHTTPServer(maxLifetimeSeconds: 0.2) { _ in .text("x") }
        #expect(RawClient.request(port: server.port, target: "/")?.status == 200)
        try await Task.sleep(for: .milliseconds(600))
        #expect(server.isStopped)
        #expect(RawClient.request(port: server.port, target: "/") == nil)
    }

    @Test func aPortInUseIsReportedAsABindError() throws {
        let first = try LoopbackHTTPServer(maxLifetimeSeconds: 30) { _ in .text("first") }
        defer { first.stop() }
        do {
            let second = try LoopbackHTTPServer(port: first.port, maxLifetimeSeconds: 30) { _ in .text("second") }
            second.stop()
            Issue.record("second bind on \(first.port) succeeded")
        } catch {
            guard case .socket(let operation, let code) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(operation == "bind")
            #expect(code == EADDRINUSE)
        }
    }

    @Test func anExplicitPortIsUsed() async throws {
        let probe = try LoopbackHTTPServer(maxLifetimeSeconds: 30) { _ in .text("probe") }
        let port = probe.port
        probe.stop()
        try await Task.sleep(for: .milliseconds(300))  // the accept thread closes the listener within one 100 ms poll
        let server = try LoopbackHTTPServer(port: port, maxLifetimeSeconds: .infinity) { _ in .text("fixed") }
        defer { server.stop() }
        #expect(server.port == port)
        #expect(RawClient.request(port: port, target: "/")?.text == "fixed")
    }

    @Test func manyConcurrentConnectionsAreServed() async throws {
        let server = try LoopbackHTTPServer(maxLifetimeSeconds: 30) { request in .text(request.path) }
        defer { server.stop() }
        let port = server.port
        let ok = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<64 {
                group.addTask { RawClient.request(port: port, target: "/\(i)")?.text == "/\(i)" }
            }
            var all = true
            for await result in group { all = all && result }
            return all
        }
        #expect(ok)
    }
}

func monotonic() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
