import FeedParse
import Foundation
import Model

/// Feed parsing throughput: Sift's `FeedParser` against Python's feedparser on the same
/// ~2 MB RSS 2.0 document (1,000 items with HTML descriptions and `content:encoded`), in the
/// same run. Prints feeds/s, MB/s and the ratio.
///
/// Arguments: `--items N` (default 1000), `--seconds S` minimum measuring time for Sift
/// (default 3), `--peer-iterations N` (default 5).
func runFeedBench(arguments: [String]) async throws {
    func option(_ name: String, _ fallback: Int) -> Int {
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
            let value = Int(arguments[index + 1])
        else { return fallback }
        return value
    }
    let items = option("--items", 1_000)
    let minimumSeconds = Double(option("--seconds", 3))
    let peerIterations = option("--peer-iterations", 5)

    let document = FeedBenchDocument.rss(items: items)
    let megabytes = Double(document.count) / 1_048_576
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("sift-feedbench-\(getpid()).xml")
    try Data(document).write(to: path)
    defer { try? FileManager.default.removeItem(at: path) }

    // Sift.
    let parser = FeedParser(maxBytes: 64 << 20)
    let warm = try parser.parse(document, baseURL: "https://bench.example/feed.xml")
    var iterations = 0
    let clock = ContinuousClock()
    let start = clock.now
    var elapsed = 0.0
    while elapsed < minimumSeconds || iterations < 3 {
        let feed = try parser.parse(document, baseURL: "https://bench.example/feed.xml")
        precondition(feed.entries.count == warm.entries.count)
        iterations += 1
        let duration = clock.now - start
        elapsed = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
    let siftFeedsPerSecond = Double(iterations) / elapsed

    // feedparser, if its venv can be set up.
    let peer = try runPeer(path: path.path, iterations: peerIterations)
    let peerFeedsPerSecond = peer.map { Double($0.iterations) / $0.seconds }

    print("feed parsing: \(String(format: "%.2f", megabytes)) MB RSS 2.0, \(warm.entries.count) entries")
    print("| parser | feeds/s | MB/s | entries | speed vs feedparser |")
    print("|---|---:|---:|---:|---:|")
    print(
        row(
            "Sift FeedParser", siftFeedsPerSecond, megabytes, warm.entries.count,
            ratio: peerFeedsPerSecond.map { siftFeedsPerSecond / $0 }
        )
    )
    if let peer, let peerFeedsPerSecond {
        print(row("feedparser \(peer.version)", peerFeedsPerSecond, megabytes, peer.entries, ratio: 1))
    } else {
        print("(feedparser peer skipped: Benchmarks/.venv with feedparser unavailable)")
    }
}

private func row(_ name: String, _ feedsPerSecond: Double, _ megabytes: Double, _ entries: Int, ratio: Double?)
    -> String
{
    "| \(name) | \(String(format: "%.2f", feedsPerSecond)) | \(String(format: "%.1f", feedsPerSecond * megabytes)) "
        + "| \(entries) | \(ratio.map { String(format: "%.1f×", $0) } ?? "—") |"
}

private struct PeerResult: Decodable {
    var seconds: Double
    var iterations: Int
    var entries: Int
    var version: String
}

/// Runs `Benchmarks/feeds/feedparser_peer.py` in `Benchmarks/.venv`, installing feedparser
/// there first if needed; `nil` when Python or the package cannot be had.
private func runPeer(path: String, iterations: Int) throws -> PeerResult? {
    let python = "Benchmarks/.venv/bin/python"
    if run(python, ["-c", "import feedparser"]) == nil {
        guard run("/bin/bash", ["Benchmarks/feeds/setup.sh"]) != nil,
            run(python, ["-c", "import feedparser"]) != nil
        else { return nil }
    }
    guard let output = run(python, ["Benchmarks/feeds/feedparser_peer.py", path, String(iterations)]) else {
        return nil
    }
    return try JSONDecoder().decode(PeerResult.self, from: Data(output.utf8))
}

/// Runs a program; its standard output, or `nil` when it cannot start or exits non-zero.
private func run(_ executable: String, _ arguments: [String]) -> String? {
    guard FileManager.default.isExecutableFile(atPath: executable) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self)
}

/// A deterministic, realistic RSS 2.0 document.
enum FeedBenchDocument {
    private static let words = """
        the government said on tuesday that talks with regional partners would resume next week after \
        officials from both sides met in the capital to discuss trade energy security and the price of \
        grain markets rallied while analysts warned that inflation could remain above target for longer \
        than expected according to a report published by the central bank on monday evening residents \
        described flooding in several districts as emergency services worked through the night
        """.split(separator: " ").map(String.init)

    static func rss(items: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        func sentence(_ count: Int) -> String {
            var result: [String] = []
            for _ in 0..<count { result.append(words[next() % words.count]) }
            return result.joined(separator: " ")
        }
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" \
            xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
            <channel>
            <title>Bench News &amp; Analysis</title>
            <link>https://bench.example/</link>
            <atom:link href="https://bench.example/feed.xml" rel="self" type="application/rss+xml"/>
            <description>World news</description>
            <ttl>15</ttl>

            """
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        for index in 0..<items {
            let title = sentence(8 + next() % 6).capitalized
            let day = 1 + next() % 28
            let date =
                "\(days[next() % 7]), \(day < 10 ? "0" : "")\(day) \(months[next() % 12]) 2026 "
                + "\(10 + next() % 13):\(10 + next() % 50):\(10 + next() % 50) +0000"
            xml += """
                <item>
                <title>\(title)</title>
                <link>https://bench.example/world/2026/\(index)/\(title.prefix(20).lowercased().replacingOccurrences(of: " ", with: "-"))</link>
                <guid isPermaLink="false">bench-\(index)</guid>
                <pubDate>\(date)</pubDate>
                <dc:creator>Reporter \(next() % 50)</dc:creator>
                <category>World</category><category>Politics</category>
                <description>&lt;p&gt;\(sentence(40))&lt;/p&gt;&lt;p&gt;\(sentence(30)) &lt;a href="/related/\(index)"&gt;more&lt;/a&gt;&lt;/p&gt;</description>
                <content:encoded><![CDATA[<figure><img src="https://cdn.bench.example/\(index).jpg" alt="photo"/></figure>\
                <p>\(sentence(60))</p><p>\(sentence(55)) <em>\(sentence(5))</em></p><p>\(sentence(45))</p>\
                <script>track(\(index))</script>]]></content:encoded>
                </item>

                """
        }
        xml += "</channel>\n</rss>\n"
        return Array(xml.utf8)
    }
}
