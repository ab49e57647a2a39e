import Markup
import Testing

struct NodeTests {
    @Test func attributesAndNamespacesAreRead() throws {
        let xml = """
            <r xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" a="1" b="x &amp; y">
            <item rdf:about="http://example.org/1"/><!-- c --><![CDATA[raw <text>]]></r>
            """
        let tree = try XMLTree(bytes: Array(xml.utf8))
        let root = try #require(tree.root)
        #expect(root.attributes.map(\.name) == ["a", "b"])
        #expect(root.attribute("b") == "x & y")
        #expect(root.attribute("missing") == nil)
        let item = try #require(root.elementChildren.first)
        #expect(
            item.attribute("about", namespaceURI: "http://www.w3.org/1999/02/22-rdf-syntax-ns#")
                == "http://example.org/1")
        #expect(item.attribute("about", namespaceURI: "urn:other") == nil)
        #expect(item.parent?.isSame(as: root) == true)
        #expect(root.parent == nil)
        let kinds = root.children.map(\.kind)
        #expect(kinds.contains(.comment))
        #expect(root.text.contains("raw <text>"))
    }

    @Test func childrenCanBeRemovedWhileIterating() throws {
        let tree = try HTMLTree(fragment: "<i>1</i><b>2</b><i>3</i><b>4</b>")
        let body = try #require(tree.body)
        for child in body.children where child.hasName("i") {
            child.remove()
        }
        #expect(body.serializedInnerHTML() == "<b>2</b><b>4</b>")
    }

    @Test func unwrapKeepsContentAndMergesText() throws {
        let tree = try HTMLTree(fragment: "<p>a <span>b <em>c</em> d</span> e</p>")
        let body = try #require(tree.body)
        let span = try #require(body.descendants.first { $0.hasName("span") })
        span.unwrap()
        #expect(body.serializedInnerHTML() == "<p>a b <em>c</em> d e</p>")
        #expect(body.text == "a b c d e")
    }

    @Test func attributesCanBeSetAndRemoved() throws {
        let tree = try HTMLTree(fragment: "<a href=\"/x\" onclick=\"y()\">link</a>")
        let link = try #require(tree.body?.firstChild)
        link.removeAttribute("onclick")
        link.setAttribute("href", to: "http://example.org/x?a=1&b=2")
        #expect(link.serializedHTML() == "<a href=\"http://example.org/x?a=1&amp;b=2\">link</a>")
    }

    @Test func nonASCIITextSerializesAsUTF8() throws {
        let tree = try HTMLTree(fragment: "<p>مرحبا café</p>")
        #expect(tree.body?.serializedInnerHTML() == "<p>مرحبا café</p>")
    }
}

struct XPathTests {
    @Test func selectsNamespacedNodesInXML() throws {
        let xml = """
            <feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title></entry><entry><title>B</title></entry></feed>
            """
        let tree = try XMLTree(bytes: Array(xml.utf8))
        let titles = try tree.nodes(matching: "//a:entry/a:title", namespaces: ["a": "http://www.w3.org/2005/Atom"])
        #expect(titles.map(\.text) == ["A", "B"])
        let entry = try #require(tree.root?.elementChildren.last)
        #expect(
            try tree.nodes(matching: "a:title", namespaces: ["a": "http://www.w3.org/2005/Atom"], from: entry).map(
                \.text) == ["B"])
    }

    @Test func selectsHTMLNodesAndRejectsBadExpressions() throws {
        let tree = try HTMLTree(
            bytes: Array("<html><head><meta property=\"og:title\" content=\"T\"></head></html>".utf8))
        let metas = try tree.nodes(matching: "//meta[@property='og:title']")
        #expect(metas.first?.attribute("content") == "T")
        #expect(throws: MarkupError.self) { try tree.nodes(matching: "//[") }
    }
}
