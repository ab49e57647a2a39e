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
    @Test func aLineCanGiveTheFeedItsOwnSettings() throws {
        let text = """
            # slow outlet
            https://slow.example/atom.xml interval_seconds=3600 total_timeout_seconds=90 max_bytes=20000000 max_redirects=2 title=Slow_Example
            https://plain.example/rss  # no settings
            https://odd.example/rss interval_seconds=soon colour=blue
            """
        let feeds = FeedListParser.feeds(in: text)
        #expect(
            feeds.map(\.url) == [
                "https://slow.example/atom.xml", "https://plain.example/rss", "https://odd.example/rss",
            ])
        let slow = try #require(feeds.first)
        #expect(slow.intervalSeconds == 3600)
        #expect(slow.totalTimeoutSeconds == 90)
        #expect(slow.maxBytes == 20_000_000)
        #expect(slow.maxRedirects == 2)
        #expect(slow.title == "Slow Example")
        #expect(feeds[1] == FeedSource(url: "https://plain.example/rss"))
        #expect(feeds[2].intervalSeconds == nil)
    }

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
