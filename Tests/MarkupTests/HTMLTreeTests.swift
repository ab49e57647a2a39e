import Markup
import Testing

struct HTMLTreeTests {
    /// "مرحبا بالعالم" in windows-1256.
    static let arabicWindows1256: [UInt8] = [
        0xE3, 0xD1, 0xCD, 0xC8, 0xC7, 0x20, 0xC8, 0xC7, 0xE1, 0xDA, 0xC7, 0xE1, 0xE3,
    ]

    static func page(meta: String) -> [UInt8] {
        Array("<html><head>\(meta)<title>t</title></head><body><p id=\"x\">".utf8) + arabicWindows1256
            + Array("</p></body></html>".utf8)
    }

    @Test func windows1256PageDecodesFromMetaCharset() throws {
        let tree = try HTMLTree(bytes: Self.page(meta: "<meta charset=\"windows-1256\">"))
        #expect(tree.encoding == "windows-1256")
        let paragraph = try #require(tree.body?.children.first { $0.hasName("p") })
        #expect(paragraph.text == "مرحبا بالعالم")
        #expect(paragraph.attribute("id") == "x")
    }

    @Test func windows1256PageDecodesFromHTTPEquiv() throws {
        let meta = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1256\">"
        let tree = try HTMLTree(bytes: Self.page(meta: meta))
        #expect(tree.body?.text == "مرحبا بالعالم")
    }

    @Test func httpCharsetWinsOverMissingDeclaration() throws {
        let tree = try HTMLTree(bytes: Self.page(meta: ""), encoding: "windows-1256")
        #expect(tree.body?.text == "مرحبا بالعالم")
    }

    @Test func byteOrderMarkWinsOverHTTPCharset() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("<p>héllo</p>".utf8)
        let tree = try HTMLTree(bytes: bytes, encoding: "windows-1251")
        #expect(tree.encoding == "UTF-8")
        #expect(tree.body?.text == "héllo")
    }

    @Test func messyMarkupIsRecovered() throws {
        let tree = try HTMLTree(bytes: Array("<div><p>one<p>two<b>bold</div><script>x()</script>".utf8))
        let names = tree.body?.descendants.filter { $0.isElement }.map(\.name)
        #expect(names == ["div", "p", "p", "b", "script"])
    }

    @Test func deepNestingDoesNotCrash() throws {
        let depth = 100_000
        let html = String(repeating: "<div>", count: depth) + "deep" + String(repeating: "</div>", count: depth)
        let tree = try HTMLTree(bytes: Array(html.utf8))
        // libxml2 stops nesting at its depth limit; what matters is a tree and no crash.
        let count = tree.body.map { $0.descendants.reduce(0) { count, _ in count + 1 } } ?? 0
        #expect(count > 100)
        let body = try #require(tree.body)
        #expect(!body.serializedHTML().isEmpty)
    }

    @Test func fragmentSerializesAndNodesCanBeRemoved() throws {
        let tree = try HTMLTree(fragment: "<p onclick=\"x()\">café <script>evil()</script><a href=\"/a\">link</a></p>")
        let body = try #require(tree.body)
        for node in body.descendants where node.hasName("script") {
            node.remove()
            break
        }
        let paragraph = try #require(body.firstChild)
        paragraph.removeAttribute("onclick")
        #expect(body.serializedInnerHTML() == "<p>café <a href=\"/a\">link</a></p>")
    }

    @Test func emptyInputGivesAnEmptyPage() throws {
        let tree = try HTMLTree(bytes: [])
        #expect(tree.root?.name == "html")
    }

    @Test func oversizedInputIsRefusedBeforeParsing() {
        #expect(throws: MarkupError.self) {
            try HTMLTree(bytes: [UInt8](repeating: 0x41, count: 2000), maxBytes: 1000)
        }
    }
}
