import Markup
import Testing

struct XMLTreeTests {
    @Test func wellFormedDocumentParsesWithNamespaces() throws {
        let xml = """
            <?xml version="1.0"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.org/a/">
            <entry xml:base="b/"><title type="text">T &amp; U</title></entry></feed>
            """
        let tree = try XMLTree(bytes: Array(xml.utf8), url: "http://ignored.example/")
        #expect(tree.wellFormed)
        #expect(tree.errors.isEmpty)
        let root = try #require(tree.root)
        #expect(root.name == "feed")
        #expect(root.namespaceURI == "http://www.w3.org/2005/Atom")
        let entry = try #require(root.elementChildren.first)
        let title = try #require(entry.elementChildren.first)
        #expect(title.text == "T & U")
        #expect(title.attribute("type") == "text")
        #expect(title.baseURL == "http://example.org/a/b/")
    }

    @Test func externalFileEntityIsNotResolved() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <rss><channel><title>a&xxe;b</title></channel></rss>
            """
        let tree = try XMLTree(bytes: Array(xml.utf8))
        let text = tree.root?.text ?? ""
        #expect(!text.contains("root:"))
    }

    @Test func externalHTTPEntityIsNotFetched() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
            <rss><channel><title>t</title></channel></rss>
            """
        let tree = try XMLTree(bytes: Array(xml.utf8))
        #expect(tree.root?.text.contains("t") == true)
    }

    @Test func billionLaughsIsRefused() {
        var xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
        xml += "<!ENTITY lol1 \"" + String(repeating: "&lol;", count: 10) + "\">\n"
        for level in 2...9 {
            xml += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">\n"
        }
        xml += "]>\n<lolz>&lol9;</lolz>"
        #expect {
            try XMLTree(bytes: Array(xml.utf8))
        } throws: { error in
            guard case MarkupError.entityExpansion = error else { return false }
            return true
        }
    }

    @Test func quadraticBlowupIsRefused() {
        let big = String(repeating: "a", count: 50_000)
        let xml =
            "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"\(big)\">]><r>"
            + String(repeating: "&a;", count: 50_000) + "</r>"
        #expect {
            try XMLTree(bytes: Array(xml.utf8))
        } throws: { error in
            guard case MarkupError.entityExpansion = error else { return false }
            return true
        }
    }

    @Test func illFormedInputIsRecoveredAndFlagged() throws {
        let xml = "<rss><channel><title>a & b</title><item><title>x</title></channel></rss>"
        let tree = try XMLTree(bytes: Array(xml.utf8))
        #expect(!tree.wellFormed)
        #expect(!tree.errors.isEmpty)
        #expect(tree.root?.name == "rss")
    }

    @Test func undeclaredPrefixIsNotWellFormed() throws {
        let tree = try XMLTree(bytes: Array("<rss><dc:creator>x</dc:creator></rss>".utf8))
        #expect(!tree.wellFormed)
    }

    @Test func strictModeFailsOnIllFormedInput() {
        #expect(throws: MarkupError.self) {
            try XMLTree(bytes: Array("<a><b></a>".utf8), recover: false)
        }
    }

    @Test func deepNestingDoesNotCrash() throws {
        let depth = 50_000
        let xml = String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
        let tree = try XMLTree(bytes: Array(xml.utf8))
        #expect(!tree.wellFormed)
    }

    @Test func declaredLegacyEncodingIsDecoded() throws {
        // "Привет" in KOI8-R.
        let bytes =
            Array("<?xml version=\"1.0\" encoding=\"koi8-r\"?><t>".utf8)
            + [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4] + Array("</t>".utf8)
        let tree = try XMLTree(bytes: bytes)
        #expect(tree.root?.text == "Привет")
        #expect(tree.encoding == "KOI8-R")
    }
}
