import Curl
import HTTPServer
import Testing

struct CurlClientTests {
    static func server(_ handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer(maxLifetimeSeconds: 30, handler: handler)
    }

    @Test func getReturnsStatusHeadersAndBody() async throws {
        let server = try Self.server { request in
            .text("hi \(request.headers["x-test"] ?? "-") \(request.headers["user-agent"] ?? "-")")
        }
        defer { server.stop() }
        let client = try CurlClient(maxConcurrent: 4)
        defer { client.shutdown() }
        let response = try await client.perform(
            CurlRequest(url: server.origin + "/a", headers: [("X-Test", "yes")], userAgent: "UA/1")
        )
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "hi yes UA/1")
        #expect(response.header("content-type") == "text/plain; charset=utf-8")
        #expect(response.effectiveURL == server.origin + "/a")
        #expect(response.primaryIP == "127.0.0.1")
        #expect(response.hops.isEmpty)
    }

    @Test func redirectsAreFollowedAndEachHopRecorded() async throws {
        let server = try Self.server { request in
            switch request.path {
            case "/a": HTTPResponse(status: 301, headers: [("Location", "/b")], body: Array("moved body".utf8))
            case "/b": .redirect(to: "c", status: 302)
            case "/c": .text("done")
            default: .notFound
            }
        }
        defer { server.stop() }
        let client = try CurlClient()
        defer { client.shutdown() }
        let response = try await client.perform(CurlRequest(url: server.origin + "/a"))
        #expect(response.status == 200)
        #expect(response.redirectCount == 2)
        #expect(String(decoding: response.body, as: UTF8.self) == "done")
        #expect(response.effectiveURL == server.origin + "/c")
        #expect(
            response.hops == [
                CurlRedirectHop(url: server.origin + "/a", status: 301, location: server.origin + "/b"),
                CurlRedirectHop(url: server.origin + "/b", status: 302, location: server.origin + "/c"),
            ]
        )
    }

    @Test func bodyCapAbortsAnEndlessBody() async throws {
        let server = try Self.server { _ in HTTPResponse(behaviour: .endless(chunkBytes: 16 << 10)) }
        defer { server.stop() }
        let client = try CurlClient()
        defer { client.shutdown() }
        await #expect(throws: CurlError.self) {
            try await client.perform(CurlRequest(url: server.origin + "/", maxBodyBytes: 100_000))
        }
        do {
            _ = try await client.perform(CurlRequest(url: server.origin + "/", maxBodyBytes: 100_000))
        } catch {
            guard case .bodyTooLarge(let limit) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(limit == 100_000)
        }
    }

    @Test func addressGuardSeesTheResolvedAddress() async throws {
        let server = try Self.server { _ in .text("secret") }
        defer { server.stop() }
        let client = try CurlClient()
        defer { client.shutdown() }
        do {
            _ = try await client.perform(
                CurlRequest(url: "http://localhost:\(server.port)/", addressGuard: { _ in false }))
            Issue.record("guard did not block")
        } catch {
            guard case .addressBlocked(let address) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(address == "127.0.0.1" || address == "::1")
        }
        let allowed = try await client.perform(
            CurlRequest(url: server.origin + "/", addressGuard: { $0 == "127.0.0.1" })
        )
        #expect(allowed.status == 200)
    }

    @Test func addressGuardChecksEveryRedirectConnection() async throws {
        let target = try Self.server { _ in .text("internal") }
        defer { target.stop() }
        let entry = try Self.server { _ in .redirect(to: "http://127.0.0.1:\(target.port)/") }
        defer { entry.stop() }
        let client = try CurlClient()
        defer { client.shutdown() }
        let calls = Counter()
        // Allows the first connection only: the redirect needs a second one (another port).
        let request = CurlRequest(url: entry.origin + "/", addressGuard: { _ in calls.next() == 1 })
        do {
            _ = try await client.perform(request)
            Issue.record("redirect target was reached")
        } catch {
            guard case .addressBlocked(let address) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(address == "127.0.0.1")
        }
        #expect(target.requestCount == 0)
        #expect(entry.requestCount == 1)
    }

    @Test func nonHTTPSchemesAreRefused() async throws {
        let client = try CurlClient()
        defer { client.shutdown() }
        for url in ["file:///etc/passwd", "ftp://127.0.0.1/", "gopher://127.0.0.1/"] {
            do {
                _ = try await client.perform(CurlRequest(url: url))
                Issue.record("\(url) was fetched")
            } catch {
                #expect(error.category == .badURL)
            }
        }
    }

    @Test func redirectToFileSchemeIsRefused() async throws {
        let server = try Self.server { _ in .redirect(to: "file:///etc/passwd") }
        defer { server.stop() }
        let client = try CurlClient()
        defer { client.shutdown() }
        await #expect(throws: CurlError.self) { try await client.perform(CurlRequest(url: server.origin + "/")) }
    }

    @Test func cancellingTheTaskAbortsAStalledTransfer() async throws {
        let server = try Self.server { _ in HTTPResponse(behaviour: .stallBeforeHeaders(seconds: 30)) }
        defer { server.stop() }
        let client = try CurlClient()
        defer { client.shutdown() }
        let url = server.origin + "/"
        let task = Task { () -> CurlError? in
            do {
                _ = try await client.perform(CurlRequest(url: url))
                return nil
            } catch {
                return error as? CurlError
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        let start = ContinuousClock.now
        task.cancel()
        let error = await task.value
        #expect(ContinuousClock.now - start < .seconds(8))
        guard case .cancelled = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
    }

    @Test func shutdownFailsOutstandingTransfers() async throws {
        let server = try Self.server { _ in HTTPResponse(behaviour: .stallBeforeHeaders(seconds: 20)) }
        defer { server.stop() }
        let client = try CurlClient(maxConcurrent: 1)
        let url = server.origin + "/"
        let tasks = (0..<3).map { _ in
            Task { () -> CurlError? in
                do {
                    _ = try await client.perform(CurlRequest(url: url))
                    return nil
                } catch {
                    return error as? CurlError
                }
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        client.shutdown()
        for task in tasks {
            let error = await task.value
            guard case .shutDown = error else {
                Issue.record("unexpected \(String(describing: error))")
                continue
            }
        }
        await #expect(throws: CurlError.self) { try await client.perform(CurlRequest(url: url)) }
    }

    @Test func lowSpeedLimitEndsATrickle() async throws {
        let body = [UInt8](repeating: 65, count: 10_000)
        let server = try Self.server { _ in
            HTTPResponse(body: body, behaviour: .trickle(chunkBytes: 10, intervalSeconds: 0.3))
        }
        defer { server.stop() }
        let client = try CurlClient()
        defer { client.shutdown() }
        do {
            _ = try await client.perform(
                CurlRequest(url: server.origin + "/", lowSpeedBytesPerSecond: 1000, lowSpeedSeconds: 1)
            )
            Issue.record("trickle completed")
        } catch {
            #expect(error.category == .timeout)
        }
    }
}

/// A thread-safe call counter.
final class Counter: @unchecked Sendable {
    // Only touched on the client's single thread, one call at a time.
    private var value = 0
    func next() -> Int {
        value += 1
        return value
    }
}
