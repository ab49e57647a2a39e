import Testing

@testable import Fetch

struct ResponsePolicyTests {
    let now = 1_800_000_000

    func response(
        _ status: Int,
        _ headers: [(name: String, value: String)] = [],
        hops: [(status: Int, location: String?)] = []
    ) -> ResponsePolicy.Response {
        ResponsePolicy.Response(
            status: status, headers: headers, body: Array("body".utf8), finalURL: "https://e.example/final",
            hops: hops, durationSeconds: 0.1
        )
    }

    @Test func notModifiedKeepsTheSentValidators() throws {
        let request = FetchRequest(url: "https://e.example/f", kind: .feed, etag: "\"a\"", lastModified: "L")
        let result = try ResponsePolicy.evaluate(response(304), for: request, now: now).get()
        #expect(result.notModified)
        #expect(result.body.isEmpty)
        #expect(result.etag == "\"a\"")
        #expect(result.lastModified == "L")
    }

    @Test func unchangedValidatorsOn200CountAsNotModified() throws {
        let request = FetchRequest(url: "u", kind: .feed, etag: "\"a\"")
        let same = try ResponsePolicy.evaluate(response(200, [("ETag", "\"a\"")]), for: request, now: now).get()
        #expect(same.notModified)
        let changed = try ResponsePolicy.evaluate(response(200, [("ETag", "\"b\"")]), for: request, now: now).get()
        #expect(!changed.notModified)
        let byDate = FetchRequest(url: "u", kind: .feed, lastModified: "L")
        let sameDate = try ResponsePolicy.evaluate(response(200, [("Last-Modified", "L")]), for: byDate, now: now).get()
        #expect(sameDate.notModified)
    }

    @Test func retryAfterAcceptsSecondsAndDates() {
        #expect(ResponsePolicy.retryAfterSeconds(" 30 ", now: now) == 30)
        #expect(ResponsePolicy.retryAfterSeconds("-5", now: now) == 0)
        let date = "Fri, 15 Jan 2027 08:01:40 GMT"  // now + 100 s
        #expect(HTTPDate.parse(date) == now + 100)
        #expect(ResponsePolicy.retryAfterSeconds(date, now: now) == 100)
        #expect(ResponsePolicy.retryAfterSeconds("soon", now: now) == nil)
        let request = FetchRequest(url: "u", kind: .feed)
        let outcome = ResponsePolicy.evaluate(response(503, [("Retry-After", date)]), for: request, now: now)
        guard case .failure(.http(_, 503, 100)) = outcome else {
            Issue.record("unexpected \(outcome)")
            return
        }
    }

    @Test func statusesMapToErrors() {
        let request = FetchRequest(url: "u", kind: .feed)
        for (status, errorClass) in [
            (410, "gone"), (404, "http_4xx"), (403, "http_4xx"), (502, "http_5xx"), (300, "http_4xx"),
        ] {
            guard case .failure(let error) = ResponsePolicy.evaluate(response(status), for: request, now: now) else {
                Issue.record("\(status) should fail")
                continue
            }
            #expect(error.errorClass == errorClass)
        }
    }

    @Test func permanentRedirectIsTheLeadingPermanentRun() {
        #expect(ResponsePolicy.permanentTarget([(301, "a"), (308, "b")]) == "b")
        #expect(ResponsePolicy.permanentTarget([(301, "a"), (302, "b"), (301, "c")]) == "a")
        #expect(ResponsePolicy.permanentTarget([(302, "a"), (301, "b")]) == nil)
        #expect(ResponsePolicy.permanentTarget([]) == nil)
    }

    @Test func cacheLifetimeComesFromMaxAgeOrExpires() {
        #expect(ResponsePolicy.maxAge(response(200, [("Cache-Control", "public, max-age=600")]), now: now) == 600)
        #expect(ResponsePolicy.maxAge(response(200, [("Cache-Control", "no-cache")]), now: now) == 0)
        let expires = response(
            200, [("Date", "Fri, 15 Jan 2027 08:00:00 GMT"), ("Expires", "Fri, 15 Jan 2027 09:00:00 GMT")])
        #expect(ResponsePolicy.maxAge(expires, now: now) == 3600)
        #expect(ResponsePolicy.maxAge(response(200, [("Expires", "0")]), now: now) == 0)
        #expect(ResponsePolicy.maxAge(response(200), now: now) == nil)
    }
}
