import Foundation
import Testing

@testable import Extraction

/// The libxml2 input leaves out attributes the extractor never reads: the tree built from it must
/// be the tree built from the page with every attribute, but for those attributes.
struct LibXML2InputTests {
    /// Everything of a tree the extractor can see: structure, text, flags and the attributes it reads.
    static func summary(_ tree: PageTree) -> [String] {
        var lines: [String] = []
        for (index, node) in tree.nodes.enumerated() {
            var line = "\(node.tag) \(node.parent) \(node.firstChild) \(node.next) \(node.hidden)"
            if node.tag == .text {
                line += " " + String(decoding: collapsed(tree.text[Int(node.start)..<Int(node.end)]), as: UTF8.self)
            } else {
                for name in AttributeName.allCases where AttributeName.isRead(name, on: node.tag) {
                    if let value = tree.attribute(name, of: Int32(index)) { line += " \(name)=\(value)" }
                }
            }
            lines.append(line)
        }
        lines.append(
            "title " + (tree.title.map { String(decoding: collapsed(Array($0.utf8)[...]), as: UTF8.self) } ?? "-"))
        lines.append(contentsOf: tree.jsonLD)
        lines.append("head \(tree.headElements) html \(tree.htmlElement)")
        return lines
    }

    /// Text with each run of white space as one byte: a line feed if the run holds a line break.
    static func collapsed(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var run: [UInt8] = []
        func flush() {
            if run.count == 1 { out.append(run[0]) }
            if run.count > 1 { out.append(run.contains(0x0A) || run.contains(0x0D) ? 0x0A : 0x20) }
            run.removeAll()
        }
        for c in text {
            if PageTree.isSpace(c) {
                run.append(c)
            } else {
                flush()
                out.append(c)
            }
        }
        flush()
        return out
    }

    static func trees(_ html: String) throws -> (all: [String], trimmed: [String], input: String) {
        try trees(Array(html.utf8))
    }

    static func trees(_ utf8: [UInt8]) throws -> (all: [String], trimmed: [String], input: String) {
        let all = try #require(
            PageTree.libxml2Input(utf8, dropUnreadAttributes: false, collapseWhiteSpace: false))
        let trimmed = try #require(PageTree.libxml2Input(utf8))
        let fromAll = try PageTree.parsedByLibXML2(all, url: nil, maxNodes: 600_000, maxBytes: 64 << 20)
        let fromTrimmed = try PageTree.parsedByLibXML2(trimmed, url: nil, maxNodes: 600_000, maxBytes: 64 << 20)
        #expect(fromAll.complete == fromTrimmed.complete)
        return (summary(fromAll.tree), summary(fromTrimmed.tree), String(decoding: trimmed, as: UTF8.self))
    }

    @Test func unreadAttributesAreLeftOut() throws {
        let html = """
            <html lang="en" class="no-js"><head><meta property="og:title" content="T" data-x="1">\
            <link rel="canonical" href="/a" media="all"></head><body><div class="story" data-id="7" \
            onclick="go()"><a href="/x" class='link' title=T>Home</a><img src="a.png" srcset="b.png 2x" \
            alt="A"><time datetime="2020-01-01" class=t>Jan</time><p hidden id=p1 style="color: red">Text</p>\
            <script type="application/ld+json" id=ld>{"@type":"NewsArticle"}</script></div></body></html>
            """
        let result = try Self.trees(html)
        #expect(result.all == result.trimmed)
        #expect(
            result.input == """
                <html lang="en" class="no-js"><head><meta property="og:title" content="T">\
                <link rel="canonical" href="/a"></head><body><div class="story"><a class='link'>Home</a><img>\
                <time datetime="2020-01-01" class=t>Jan</time><p hidden id=p1 style="color: red">Text</p>\
                <script type="application/ld+json" id=ld>{"@type":"NewsArticle"}</script></div></body></html>
                """)
    }

    @Test func whiteSpaceRunsInTextAreCollapsed() throws {
        let html = "<p class=a>One  two\n\n  three\t\tfour \r\n five</p>  \n<pre>a   b</pre>\n<title>T  t</title>"
        let result = try Self.trees(html)
        #expect(result.all == result.trimmed)
        #expect(result.input == "<p class=a>One two\nthree four\nfive</p>\n<pre>a b</pre>\n<title>T t</title>")
        // Script bodies (JSON-LD), comments and attribute values keep theirs.
        let kept = "<script type=\"application/ld+json\">{\"a\":  \"b  c\"}</script><!--  x  --><p class=\"a  b\">t</p>"
        #expect(try Self.trees(kept).input == kept)
    }

    /// Tags that libxml2 reads differently from a plain split at blanks stay as written.
    @Test(arguments: [
        "<a/href=x class=y>t</a>", "<a href=x/class=y>t</a>", "<a href=\"x\"class=y data-z=1>t</a>",
        "<a data-\u{e9}=1 class=y>t</a>", "<div class\"=x data-a=1>t</div>", "<div =x data-a=1 class=c>t</div>",
        "<p data-a=1 class=\"open>t", "<p data-a=1 class=c", "<br data-a=1 / class=c>", "<a\u{c}href=x class=y>t</a>",
        "<p class=x data-a='1' / >t</p>", "<img src=a/><p class=b data-c>t</p>", "<p class=a hidden=>t</p>",
        "<div " + String(repeating: "d", count: 120) + "=1 class=c>t</div>",
        "<!-- <p data-a=1 class=c> --><p data-b class=d>t</p>", "<p class=a title='>' data-b>x</p>",
    ])
    func irregularTagsGiveTheSameTree(_ html: String) throws {
        let result = try Self.trees(html + "<p class=z data-q=1>After</p>")
        #expect(result.all == result.trimmed, "\(result.input)")
    }

    @Test func irregularTagsAreHandedOverAsWritten() throws {
        for tag in ["<a/href=x class=y>", "<div class\"=x data-a=1>", "<div =x data-a=1 class=c>"] {
            #expect(try Self.trees(tag + "t</a>").input.hasPrefix(tag))
        }
        // A NUL or a form feed anywhere: the page goes as it is.
        #expect(try Self.trees("<p data-a=1>t</p>\u{0}").input.hasPrefix("<p data-a=1>"))
        #expect(try Self.trees("<p data-a=1>t</p>\u{c}").input.hasPrefix("<p data-a=1>"))
    }

    @Test func fixturesGiveTheSameTree() throws {
        for name in ["english-news", "arabic-news", "jsonld-article"] {
            let result = try Self.trees(try Fixture.bytes("\(name).html"))
            #expect(result.all == result.trimmed, "\(name)")
        }
    }

    /// The extraction benchmark's pages, when the evaluation set sits next to the repository.
    static let benchmarkDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/eval/extraction/scrapinghub/html")
    static let benchmarkPages: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: benchmarkDirectory.path)) ?? [])
        .filter { $0.hasSuffix(".html.gz") }.sorted()

    /// One case per page, so that no single test holds a thread of the shared pool for long.
    @Test(
        .enabled(if: !benchmarkPages.isEmpty, "needs ../shared/eval/extraction beside the repository"),
        arguments: benchmarkPages)
    func benchmarkPageGivesTheSameTree(name: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", Self.benchmarkDirectory.appendingPathComponent(name).path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let result = try Self.trees([UInt8](data))
        let first = zip(result.all, result.trimmed).first { $0.0 != $0.1 }
        #expect(
            result.all == result.trimmed,
            "\(name): \(result.all.count) vs \(result.trimmed.count) lines, first difference \(String(describing: first))"
        )
    }
}
