import Fetch
import Foundation
import HTTPServer
import Testing

struct FetcherTests {
    @Test func conditionalGetWithETagOrLastModifiedGets304() async throws {
        let server = try Support.server { request in
            let validators: [(name: String, value: String)] = [
                ("ETag", "\"v1\""), ("Last-Modified", "Tue, 24 Nov 2026 10:00:00 GMT"),
            ]
            if request.headers["if-none-match"] == "\"v1\""
                || request.headers["if-modified-since"] == "Tue, 24 Nov 2026 10:00:00 GMT"
            {
                return HTTPResponse(status: 304, headers: validators)
            }
            return HTTPResponse(
                headers: [("Content-Type", "application/rss+xml")] + validators, body: Array("<rss/>".utf8))
        }
        defer { server.stop() }
        let fetcher = try Support.fetcher()
        let url = server.origin + "/feed.xml"
        let first = try await fetcher.fetch(FetchRequest(url: url, kind: .feed))
        #expect(first.status == 200)
        #expect(!first.notModified)
        #expect(first.body == Array("<rss/>".utf8))
        #expect(first.contentType == "application/rss+xml")
        #expect(first.etag == "\"v1\"")
        let byTag = try await fetcher.fetch(FetchRequest(url: url, kind: .feed, etag: first.etag))
        #expect(byTag.status == 304)
        #expect(byTag.notModified)
        #expect(byTag.body.isEmpty)
        #expect(byTag.etag == "\"v1\"")
        let byDate = try await fetcher.fetch(FetchRequest(url: url, kind: .feed, lastModified: first.lastModified))
        #expect(byDate.notModified)
        await fetcher.shutdown()
    }

    @Test func gzipBodyIsDecoded() async throws {
        let text = String(repeating: "<item>gzip works</item>\n", count: 200)
        let compressed = try Support.gzip(Array(text.utf8))
        let server = try Support.server { _ in
            HTTPResponse(headers: [("Content-Encoding", "gzip"), ("Content-Type", "text/xml")], body: compressed)
        }
        defer { server.stop() }
        let fetcher = try Support.fetcher()
        let result = try await fetcher.fetch(FetchRequest(url: server.origin + "/", kind: .feed))
        #expect(String(decoding: result.body, as: UTF8.self) == text)
        #expect(compressed.count < text.utf8.count / 10)
        await fetcher.shutdown()
    }

    @Test func gzipBombIsCutAtTheCapNotInflated() async throws {
        let bomb = try Support.gzip([UInt8](repeating: 0, count: 32 << 20))
        #expect(bomb.count < 100_000)
        let server = try Support.server { _ in HTTPResponse(headers: [("Content-Encoding", "gzip")], body: bomb) }
        defer { server.stop() }
        let fetcher = try Support.fetcher { $0.maxFeedBytes = 1 << 20 }
        let error = await Support.error(fetcher, FetchRequest(url: server.origin + "/", kind: .feed))
        guard case .tooLarge(_, let limit) = error else {
            Issue.record("expected tooLarge, got \(String(describing: error))")
            return
        }
        #expect(limit == 1 << 20)
        #expect(error?.errorClass == "too_large")
        await fetcher.shutdown()
    }

    @Test func aRequestsOwnLimitsReplaceTheFetchersOptions() async throws {
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 64 << 10)
        let server = try Support.server { _ in HTTPResponse(body: body) }
        defer { server.stop() }
        let fetcher = try Support.fetcher()
        let url = server.origin + "/big.xml"
        let whole = try await fetcher.fetch(FetchRequest(url: url, kind: .feed))
        #expect(whole.body.count == body.count)
        let error = await Support.error(
            fetcher, FetchRequest(url: url, kind: .feed, limits: FetchLimits(maxBytes: 16 << 10)))
        guard case .tooLarge(_, let limit) = error else {
            Issue.record("expected tooLarge, got \(String(describing: error))")
            return
        }
        #expect(limit == 16 << 10)
        await fetcher.shutdown()
    }

    @Test func endlessBodyIsCutAtThePageCap() async throws {
        let server = try Support.server { _ in HTTPResponse(behaviour: .endless(chunkBytes: 64 << 10)) }
        defer { server.stop() }
        let fetcher = try Support.fetcher { $0.maxPageBytes = 512 << 10 }
        let error = await Support.error(fetcher, FetchRequest(url: server.origin + "/", kind: .page))
        guard case .tooLarge(_, let limit) = error else {
            Issue.record("expected tooLarge, got \(String(describing: error))")
            return
        }
        #expect(limit == 512 << 10)
        await fetcher.shutdown()
    }

    @Test func declaredOversizedBodyIsRefused() async throws {
        let server = try Support.server { _ in HTTPResponse(body: [UInt8](repeating: 65, count: 300_000)) }
        defer { server.stop() }
        let fetcher = try Support.fetcher { $0.maxFeedBytes = 100_000 }
        let error = await Support.error(fetcher, FetchRequest(url: server.origin + "/", kind: .feed))
        #expect(error?.errorClass == "too_large")
        await fetcher.shutdown()
    }

    @Test func slowTrickleIsDroppedByTheLowSpeedLimit() async throws {
        let server = try Support.server { _ in
            HTTPResponse(
                body: [UInt8](repeating: 65, count: 100_000), behaviour: .trickle(chunkBytes: 20, intervalSeconds: 0.2))
        }
        defer { server.stop() }
        let fetcher = try Support.fetcher {
            $0.lowSpeedBytesPerSecond = 1000
            $0.lowSpeedSeconds = 1
        }
        let start = ContinuousClock.now
        let error = await Support.error(fetcher, FetchRequest(url: server.origin + "/", kind: .feed))
        #expect(error?.errorClass == "timeout")
        // The server would hold the transfer for 30 s or more; the margin leaves room for the test
        // task itself waiting for a thread while the rest of the suite runs on two cores.
        #expect(ContinuousClock.now - start < .seconds(25))
        await fetcher.shutdown()
    }

    @Test func permanentRedirectIsReported() async throws {
        let server = try Support.server { request in
            switch request.path {
            case "/old": .redirect(to: "/older", status: 301)
            case "/older": .redirect(to: "/new", status: 308)
            case "/new": .text("<rss/>")
            case "/mixed": .redirect(to: "/moved", status: 301)
            case "/moved": .redirect(to: "/new", status: 302)
            default: .notFound
            }
        }
        defer { server.stop() }
        let fetcher = try Support.fetcher()
        let chain = try await fetcher.fetch(FetchRequest(url: server.origin + "/old", kind: .feed))
        #expect(chain.permanentRedirectURL == server.origin + "/new")
        #expect(chain.finalURL == server.origin + "/new")
        #expect(chain.requestedURL == server.origin + "/old")
        let mixed = try await fetcher.fetch(FetchRequest(url: server.origin + "/mixed", kind: .feed))
        #expect(mixed.permanentRedirectURL == server.origin + "/moved")
        #expect(mixed.finalURL == server.origin + "/new")
        await fetcher.shutdown()
    }

    @Test func temporaryRedirectIsNotReportedAsPermanent() async throws {
        let server = try Support.server { request in
            switch request.path {
            case "/a": .redirect(to: "/b", status: 302)
            case "/b": .redirect(to: "/c", status: 301)
            case "/c": .text("ok")
            case "/t": .redirect(to: "/c", status: 307)
            default: .notFound
            }
        }
        defer { server.stop() }
        let fetcher = try Support.fetcher()
        let a = try await fetcher.fetch(FetchRequest(url: server.origin + "/a", kind: .feed))
        #expect(a.permanentRedirectURL == nil)
        #expect(a.finalURL == server.origin + "/c")
        let t = try await fetcher.fetch(FetchRequest(url: server.origin + "/t", kind: .feed))
        #expect(t.permanentRedirectURL == nil)
        await fetcher.shutdown()
    }

    @Test func redirectLoopFailsWithTooManyRedirects() async throws {
        let server = try Support.server { request in
            .redirect(to: request.path == "/x" ? "/y" : "/x", status: 302)
        }
        defer { server.stop() }
        let fetcher = try Support.fetcher { $0.maxRedirects = 3 }
        let error = await Support.error(fetcher, FetchRequest(url: server.origin + "/x", kind: .feed))
        guard case .tooManyRedirects = error else {
            Issue.record("expected tooManyRedirects, got \(String(describing: error))")
            return
        }
        #expect(error?.errorClass == "redirects")
        await fetcher.shutdown()
    }

    @Test func tooManyRequestsCarriesRetryAfter() async throws {
        let server = try Support.server { _ in
            HTTPResponse(status: 429, headers: [("Retry-After", "120")], body: Array("slow down".utf8))
        }
        defer { server.stop() }
        let fetcher = try Support.fetcher()
        let error = await Support.error(fetcher, FetchRequest(url: server.origin + "/", kind: .feed))
        guard case .http(_, let status, let retryAfter) = error else {
            Issue.record("expected http, got \(String(describing: error))")
            return
        }
        #expect(status == 429)
        #expect(retryAfter == 120)
        #expect(error?.retryAfterSeconds == 120)
        #expect(error?.errorClass == "http_4xx")
        await fetcher.shutdown()
    }

    @Test func serverErrorIsAnHTTP5xxError() async throws {
        let server = try Support.server { _ in .text("boom", status: 500) }
        defer { server.stop() }
        let fetcher = try Support.fetcher()
        let error = await Support.error(fetcher, FetchRequest(url: server.origin + "/", kind: .feed))
        guard case .http(_, 500, nil) = error else {
            Issue.record("expected http 500, got \(String(describing: error))")
            return
        }
        #expect(error?.errorClass == "http_5xx")
        await fetcher.shutdown()
    }

    @Test func goneIsItsOwnError() async throws {
        let server = try Support.server { _ in .text("gone", status: 410) }
        defer { server.stop() }
        let fetcher = try Support.fetcher()
        let error = await Support.error(fetcher, FetchRequest(url: server.origin + "/", kind: .feed))
        #expect(error?.errorClass == "gone")
        await fetcher.shutdown()
    }

    @Test func stallBeforeHeadersTimesOut() async throws {
        let server = try Support.server { _ in HTTPResponse(behaviour: .stallBeforeHeaders(seconds: 30)) }
        defer { server.stop() }
        let fetcher = try Support.fetcher { $0.totalTimeoutSeconds = 1 }
        let start = ContinuousClock.now
        let error = await Support.error(fetcher, FetchRequest(url: server.origin + "/", kind: .feed))
        #expect(error?.errorClass == "timeout")
        // The server would hold the transfer for 30 s or more; the margin leaves room for the test
        // task itself waiting for a thread while the rest of the suite runs on two cores.
        #expect(ContinuousClock.now - start < .seconds(25))
        await fetcher.shutdown()
    }

    @Test func closedConnectionWithoutResponseIsATransferError() async throws {
        let server = try Support.server { _ in HTTPResponse(behaviour: .closeWithoutResponse) }
        defer { server.stop() }
        let fetcher = try Support.fetcher()
        let error = await Support.error(fetcher, FetchRequest(url: server.origin + "/", kind: .feed))
        #expect(error?.errorClass == "transfer")
        await fetcher.shutdown()
    }

    @Test func endlessHeadersAreCut() async throws {
        let server = try Support.server { _ in HTTPResponse(behaviour: .endlessHeaders(chunkBytes: 1000)) }
        defer { server.stop() }
        let fetcher = try Support.fetcher()
        let start = ContinuousClock.now
        let error = await Support.error(fetcher, FetchRequest(url: server.origin + "/", kind: .feed))
        guard case .transfer(_, 23, let message) = error else {
            Issue.record("expected a transfer error, got \(String(describing: error))")
            return
        }
        #expect(message.contains("headers"))
        // The server would hold the transfer for 30 s or more; the margin leaves room for the test
        // task itself waiting for a thread while the rest of the suite runs on two cores.
        #expect(ContinuousClock.now - start < .seconds(25))
        await fetcher.shutdown()
    }

    @Test func privateAddressGuardBlocksLoopbackUnlessAllowed() async throws {
        let server = try Support.server { _ in .text("internal") }
        defer { server.stop() }
        let guarded = try Support.fetcher { $0.allowPrivateAddresses = false }
        for url in [server.origin + "/", "http://localhost:\(server.port)/"] {
            let error = await Support.error(guarded, FetchRequest(url: url, kind: .page))
            guard case .blockedAddress(_, let address) = error else {
                Issue.record("expected blockedAddress for \(url), got \(String(describing: error))")
                continue
            }
            #expect(address == "127.0.0.1" || address == "::1")
        }
        #expect(server.requestCount == 0)
        await guarded.shutdown()
        let allowed = try Support.fetcher()
        let result = try await allowed.fetch(FetchRequest(url: server.origin + "/", kind: .page))
        #expect(result.body == Array("internal".utf8))
        await allowed.shutdown()
    }

    @Test func nonHTTPSchemesAreRefused() async throws {
        let fetcher = try Support.fetcher()
        for url in ["file:///etc/passwd", "ftp://127.0.0.1/x", "not a url", "gopher://127.0.0.1/"] {
            let error = await Support.error(fetcher, FetchRequest(url: url, kind: .feed))
            #expect(error?.errorClass == "invalid_url", "\(url)")
        }
        await fetcher.shutdown()
    }

    @Test func otherFetchesCompleteWhileOneIsStalled() async throws {
        let server = try Support.server { request in
            request.path == "/slow" ? HTTPResponse(behaviour: .stallBeforeHeaders(seconds: 60)) : .text(request.path)
        }
        defer { server.stop() }
        let fetcher = try Support.fetcher { $0.totalTimeoutSeconds = 60 }
        let origin = server.origin
        let slow = Task { try await fetcher.fetch(FetchRequest(url: origin + "/slow", kind: .page)) }
        try await Task.sleep(for: .milliseconds(100))
        let start = ContinuousClock.now
        for i in 0..<10 {
            let result = try await fetcher.fetch(FetchRequest(url: origin + "/fast\(i)", kind: .page))
            #expect(result.body == Array("/fast\(i)".utf8))
        }
        #expect(ContinuousClock.now - start < .seconds(15))
        slow.cancel()
        let outcome = await slow.result
        guard case .failure(let error) = outcome, let fetchError = error as? FetchError else {
            Issue.record("slow fetch should fail when cancelled")
            return
        }
        #expect(fetchError.errorClass == "cancelled")
        await fetcher.shutdown()
    }

    @Test func perHostConcurrencyIsBounded() async throws {
        let recorder = Recorder()
        let server = try Support.server { _ in
            recorder.enter()
            usleep(50_000)
            recorder.leave()
            return .text("ok")
        }
        defer { server.stop() }
        let fetcher = try Support.fetcher { $0.maxConcurrentPerHost = 2 }
        let origin = server.origin
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<8 {
                group.addTask { _ = try await fetcher.fetch(FetchRequest(url: origin + "/\(i)", kind: .page)) }
            }
            try await group.waitForAll()
        }
        #expect(recorder.peakValue <= 2)
        #expect(server.requestCount == 8)
        await fetcher.shutdown()
    }

    @Test func fetchQueuedForABusyHostIsCancelledPromptly() async throws {
        let server = try Support.server { request in
            request.path == "/slow" ? HTTPResponse(behaviour: .stallBeforeHeaders(seconds: 20)) : .text("fast")
        }
        defer { server.stop() }
        let fetcher = try Support.fetcher {
            $0.maxConcurrentPerHost = 1
            $0.totalTimeoutSeconds = 20
        }
        let origin = server.origin
        let slow = Task { await Support.error(fetcher, FetchRequest(url: origin + "/slow", kind: .page)) }
        // Once the slow request has reached the server it holds the host's only slot.
        for _ in 0..<200 where server.requestCount == 0 { try await Task.sleep(for: .milliseconds(20)) }
        try #require(server.requestCount == 1)
        let queued = Task { await Support.error(fetcher, FetchRequest(url: origin + "/fast", kind: .page)) }
        try await Task.sleep(for: .milliseconds(100))
        let start = ContinuousClock.now
        queued.cancel()
        let error = await queued.value
        #expect(error?.errorClass == "cancelled")
        #expect(ContinuousClock.now - start < .seconds(8))
        #expect(server.requestCount == 1)
        slow.cancel()
        #expect(await slow.value?.errorClass == "cancelled")
        // The slot freed by the cancelled transfer serves the next fetch.
        let after = try await fetcher.fetch(FetchRequest(url: origin + "/fast", kind: .page))
        #expect(after.body == Array("fast".utf8))
        await fetcher.shutdown()
    }

    @Test func perHostDelaySpacesRequests() async throws {
        let server = try Support.server { _ in .text("ok") }
        defer { server.stop() }
        let fetcher = try Support.fetcher {
            $0.perHostDelaySeconds = 0.15
            $0.maxConcurrentPerHost = 4
        }
        let origin = server.origin
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<4 {
                group.addTask { _ = try await fetcher.fetch(FetchRequest(url: origin + "/\(i)", kind: .page)) }
            }
            try await group.waitForAll()
        }
        // The fourth start is reserved 3 × 0.15 s after the first, whatever the scheduling.
        #expect(ContinuousClock.now - start >= .milliseconds(440))
        #expect(server.requestCount == 4)
        await fetcher.shutdown()
    }

    @Test func cacheLifetimeAndContentTypeAreReported() async throws {
        let server = try Support.server { _ in
            HTTPResponse(
                headers: [("Content-Type", "text/html; charset=iso-8859-1"), ("Cache-Control", "public, max-age=900")],
                body: Array("<p>x</p>".utf8)
            )
        }
        defer { server.stop() }
        let fetcher = try Support.fetcher()
        let result = try await fetcher.fetch(FetchRequest(url: server.origin + "/", kind: .page))
        #expect(result.cacheMaxAgeSeconds == 900)
        #expect(result.contentType == "text/html; charset=iso-8859-1")
        #expect(result.durationSeconds >= 0)
        await fetcher.shutdown()
    }

    @Test func shutdownCancelsOutstandingFetches() async throws {
        let server = try Support.server { _ in HTTPResponse(behaviour: .stallBeforeHeaders(seconds: 20)) }
        defer { server.stop() }
        let fetcher = try Support.fetcher()
        let url = server.origin + "/"
        let pending = Task { await Support.error(fetcher, FetchRequest(url: url, kind: .feed)) }
        try await Task.sleep(for: .milliseconds(100))
        await fetcher.shutdown()
        let error = await pending.value
        #expect(error?.errorClass == "cancelled")
    }
}
