import Extraction
import Model
import Testing

/// Pages built to hurt a parser: each must finish and still find the real text.
struct HostileInputTests {
    let extractor = Extractor()
    let paragraph = "The committee published its findings on Tuesday, after a year of hearings and more than "
        + "two hundred written submissions from residents, businesses and local charities."

    @Test func deepNestingIsFlattenedNotFollowed() throws {
        let depth = 50_000
        var html = String(repeating: "<div><span>", count: depth)
        html += "<p>\(paragraph)</p>"
        html += String(repeating: "</span></div>", count: depth)
        let article = try extractor.extract(html: Array(html.utf8))
        #expect(article.paragraphs == [paragraph])
    }

    @Test func unclosedElementsByTheHundredThousand() throws {
        let html = String(repeating: "<b><i><font>", count: 50_000) + "<p>\(paragraph)"
        let article = try extractor.extract(html: Array(html.utf8))
        #expect(article.text.contains(paragraph))
    }

    @Test func hugeAttributeValuesAreSkipped() throws {
        let huge = String(repeating: "x", count: 3 << 20)
        let html = "<div class=\"\(huge)\" data-blob='\(huge)'><p>\(paragraph)</p></div>"
        let article = try extractor.extract(html: Array(html.utf8))
        #expect(article.paragraphs == [paragraph])
    }

    @Test func megabytesOfInlineScriptAreNotText() throws {
        let script = String(repeating: "var a = '<p>not text</p>'; if (a < b && c > d) { x(); }\n", count: 40_000)
        let html = "<html><head><script>\(script)</script></head><body><p>\(paragraph)</p>"
            + "<script>\(script)</script><style>p { color: red }</style></body></html>"
        let article = try extractor.extract(html: Array(html.utf8))
        #expect(article.paragraphs == [paragraph])
    }

    @Test func brokenMarkupStillYieldsTheText() throws {
        let html = """
            <html><body><div class=story><p>\(paragraph)<p>Second < third & fourth &bogus; entities &#xZZ; stay as written, \
            and the sentence keeps going long enough to count.</div></span></table><p <p>>
            <!-- a comment that never ends <p>hidden
            """
        let article = try extractor.extract(html: Array(html.utf8))
        #expect(article.paragraphs.first == paragraph)
        #expect(article.text.contains("Second < third & fourth &bogus; entities &#xZZ; stay as written"))
        #expect(!article.text.contains("hidden"))
    }

    @Test func unterminatedScriptAndTagsEndCleanly() throws {
        for html in ["<p>\(paragraph)</p><script>while(1){", "<p>\(paragraph)</p><div class=\"", "<p>\(paragraph)</p><"] {
            let article = try extractor.extract(html: Array(html.utf8))
            #expect(article.paragraphs.first == paragraph)
        }
    }

    @Test func tinyTagsBeyondTheNodeLimitAreIgnored() throws {
        let html = "<p>\(paragraph)</p>" + String(repeating: "<b>x</b>", count: 50_000)
        let capped = Extractor(options: ExtractionOptions(maxNodes: 10_000))
        let article = try capped.extract(html: Array(html.utf8))
        #expect(article.paragraphs.first?.hasPrefix(paragraph) == true)
    }

    @Test func binaryGarbageDoesNotCrash() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        // Any outcome but a crash or a hang is fine.
        _ = try? extractor.extract(html: bytes)
    }
}
