import Testing

@testable import FeedParse

struct URLResolverTests {
    /// RFC 3986 section 5.4.1 normal examples.
    @Test(arguments: [
        ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"), ("/g", "http://a/g"),
        ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"), ("#s", "http://a/b/c/d;p?q#s"),
        ("g#s", "http://a/b/c/g#s"), ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"), ("./", "http://a/b/c/"),
        ("..", "http://a/b/"), ("../", "http://a/b/"), ("../g", "http://a/b/g"), ("../..", "http://a/"),
        ("../../g", "http://a/g"), ("https://other/x", "https://other/x"),
    ])
    func resolvesTheRFC3986Examples(reference: String, expected: String) {
        #expect(URLResolver.resolve(reference, against: "http://a/b/c/d;p?q") == expected)
    }

    @Test func withoutABaseTheReferenceIsKept() {
        #expect(URLResolver.resolve("/a", against: nil) == "/a")
        #expect(URLResolver.resolve(" http://x/ ", against: nil) == "http://x/")
    }
}
