import Curl
import Testing

struct CurlURLTests {
    @Test func resolvesRelativeReferences() {
        #expect(CurlURL.resolve("../c?x=1", relativeTo: "http://h.example/a/b/f") == "http://h.example/a/c?x=1")
        #expect(CurlURL.resolve("//o.example/p", relativeTo: "https://h.example/") == "https://o.example/p")
        #expect(CurlURL.resolve("https://x.example/", relativeTo: "http://h.example/") == "https://x.example/")
        #expect(CurlURL.resolve("not a url", relativeTo: nil) == nil)
    }

    @Test func parsesParts() throws {
        let parts = try #require(CurlURL.parse("HTTP://User@Example.COM:8080/p/q?a=1#frag"))
        #expect(parts.scheme == "http")
        #expect(parts.user == "User")
        #expect(parts.port == 8080)
        #expect(parts.path == "/p/q")
        #expect(parts.query == "a=1")
        #expect(parts.fragment == "frag")
        #expect(parts.host.lowercased() == "example.com")
    }
}
