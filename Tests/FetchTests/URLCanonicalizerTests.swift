import Fetch
import Testing

struct URLCanonicalizerTests {
    @Test(arguments: [
        ("HTTP://Example.COM:80/a/b?x=1#frag", "http://example.com/a/b?x=1"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/p", "https://example.com:8443/p"),
        ("https://e.example/a?utm_source=x&id=7&utm_medium=y&fbclid=z&b=2", "https://e.example/a?id=7&b=2"),
        ("https://e.example/a?gclid=1&mc_cid=2&mc_eid=3", "https://e.example/a"),
        ("https://e.example/a/./b/../c", "https://e.example/a/c"),
        ("  https://e.example/with space  ", "https://e.example/with%20space"),
        ("https://e.example/a?z=1&a=2", "https://e.example/a?z=1&a=2"),
    ])
    func canonicalizesAbsoluteURLs(input: String, expected: String) {
        #expect(URLCanonicalizer.canonicalize(input) == expected)
    }

    @Test func resolvesRelativeURLsAgainstTheBase() {
        let base = "https://news.example/world/story.html?page=2"
        #expect(
            URLCanonicalizer.canonicalize("other.html", relativeTo: base) == "https://news.example/world/other.html")
        #expect(URLCanonicalizer.canonicalize("/top#x", relativeTo: base) == "https://news.example/top")
        #expect(URLCanonicalizer.canonicalize("//cdn.example/x", relativeTo: base) == "https://cdn.example/x")
        #expect(
            URLCanonicalizer.canonicalize("?utm_source=a", relativeTo: base) == "https://news.example/world/story.html")
    }

    @Test func refusesOtherSchemesAndGarbage() {
        #expect(URLCanonicalizer.canonicalize("file:///etc/passwd") == nil)
        #expect(URLCanonicalizer.canonicalize("javascript:alert(1)") == nil)
        #expect(URLCanonicalizer.canonicalize("mailto:a@b.example") == nil)
        #expect(URLCanonicalizer.canonicalize("") == nil)
        #expect(URLCanonicalizer.canonicalize("no scheme here") == nil)
        #expect(URLCanonicalizer.canonicalize("mailto:x@y.example", relativeTo: "https://e.example/") == nil)
    }

    @Test func isIdempotent() {
        for url in ["HTTP://Example.COM:80/a?utm_x=1&k=v#f", "https://e.example/%C3%A9t%C3%A9"] {
            let once = URLCanonicalizer.canonicalize(url)
            #expect(once != nil)
            #expect(once.flatMap { URLCanonicalizer.canonicalize($0) } == once)
        }
    }
}
