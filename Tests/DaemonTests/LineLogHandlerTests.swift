import Foundation
import Logging
import Testing

@testable import Daemon

struct LineLogHandlerTests {
    private let time = Date(timeIntervalSince1970: 1_764_000_000)

    @Test func logfmtLineHasTimeLevelMessageAndSortedStableKeys() {
        let line = LineLogHandler.render(
            level: .warning,
            message: "feed fetch failed",
            metadata: ["feed.url": "http://example.com/rss.xml", "error": "timeout after 30 s", "duration_ms": "31"],
            label: "sift",
            format: .logfmt,
            journald: false,
            time: time
        )
        #expect(
            line == "time=2025-11-24T16:00:00Z level=warning msg=\"feed fetch failed\" duration_ms=31 "
                + "error=\"timeout after 30 s\" feed.url=http://example.com/rss.xml"
        )
    }

    @Test func journaldLinesCarryAPriorityPrefixAndNoTime() {
        let line = LineLogHandler.render(
            level: .error, message: "x", metadata: [:], label: "sift", format: .logfmt, journald: true, time: time
        )
        #expect(line == "<3>level=error msg=x")
        #expect(LineLogHandler.syslogPriority(.debug) == 7)
        #expect(LineLogHandler.syslogPriority(.info) == 6)
        #expect(LineLogHandler.syslogPriority(.critical) == 2)
    }

    @Test func jsonLinesAreOneValidObject() throws {
        let line = LineLogHandler.render(
            level: .info,
            message: "quote \" and newline \n",
            metadata: ["cluster.id": "abc", "bytes": "12"],
            label: "sift",
            format: .json,
            journald: false,
            time: time
        )
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["msg"] == "quote \" and newline \n")
        #expect(object["cluster.id"] == "abc")
        #expect(object["level"] == "info")
    }

    @Test func handlerMergesMetadataAndFiltersByLevel() {
        let collector = LineCollector()
        var logger = collector.logger(level: .info)
        logger[metadataKey: "feed.url"] = "http://a/"
        logger.debug("hidden")
        logger.info("shown", metadata: ["status": "200"])
        #expect(collector.lines.count == 1)
        #expect(collector.lines.first?.hasSuffix("level=info msg=shown feed.url=http://a/ status=200") == true)
    }
}
