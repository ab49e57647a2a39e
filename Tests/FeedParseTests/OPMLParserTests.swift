import FeedParse
import Model
import Testing

struct OPMLParserTests {
    @Test func nestedOutlinesAreRead() throws {
        let opml = """
            <?xml version="1.0"?>
            <opml version="2.0"><head><title>Subs</title></head><body>
            <outline text="News">
              <outline type="rss" text="Example" title="Example Feed" xmlUrl="https://example.org/feed.xml"/>
              <outline type="rss" text="Other" xmlURL="http://other.example/rss"/>
              <outline type="rss" text="Dup" xmlUrl="https://example.org/feed.xml"/>
              <outline type="rss" text="Bad" xmlUrl="file:///etc/passwd"/>
            </outline></body></opml>
            """
        let feeds = try OPMLParser.feeds(in: Array(opml.utf8))
        #expect(
            feeds == [
                FeedSource(url: "https://example.org/feed.xml", title: "Example Feed"),
                FeedSource(url: "http://other.example/rss", title: "Other"),
            ])
    }

    @Test func aDocumentThatIsNotOPMLIsMalformed() {
        #expect(throws: FeedParseError.self) {
            try OPMLParser.feeds(in: Array("<rss/>".utf8))
        }
    }
}

struct FeedListParserTests {
    @Test func oneURLALineWithComments() {
        let text = """
            # my feeds
            https://example.org/feed.xml
              http://other.example/rss   # trailing comment

            not a url
            https://example.org/feed.xml
            """
        #expect(
            FeedListParser.feeds(in: text).map(\.url) == ["https://example.org/feed.xml", "http://other.example/rss"])
    }

    @Test func opmlIsSniffedFromTheContent() throws {
        let opml = "<opml><body><outline xmlUrl=\"https://a.example/f\"/></body></opml>"
        #expect(try FeedListParser.feeds(inFile: Array(opml.utf8)).map(\.url) == ["https://a.example/f"])
        #expect(
            try FeedListParser.feeds(inFile: Array("https://b.example/f\n".utf8)).map(\.url) == ["https://b.example/f"])
    }
}
