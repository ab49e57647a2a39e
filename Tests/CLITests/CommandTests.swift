import Foundation
import Testing

/// The `sift` executable built next to the test bundle, when present.
private let siftExecutable: String? = {
    guard let bundle = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
        return nil
    }
    let path = URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("sift").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}()

/// The real `sift` binary against the output shapes of the command-line contract.
@Suite(.enabled(if: siftExecutable != nil, "the sift executable is built with the tests"))
struct CommandTests {
    /// Runs `sift` with `arguments` and `input` on standard input; returns status and standard output.
    private func sift(_ arguments: [String], input: Data = Data()) throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(siftExecutable))
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test func parseFeedPrintsTheContractsObject() throws {
        let feed = """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0"><channel><title>أخبار "اليوم"</title><link>/</link>
            <item><title>عاجل</title><link>a/1</link><guid isPermaLink="false">n-1</guid>
            <pubDate>Wed, 31 Dec 2003 10:14:55 GMT</pubDate><description>&lt;b&gt;نص&lt;/b&gt;&lt;script&gt;x()&lt;/script&gt;</description></item>
            </channel></rss>
            """
        let (status, output) = try sift(
            ["parse-feed", "--base-url", "https://news.example/feed/", "-"], input: Data(feed.utf8))
        #expect(status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        #expect(object["well_formed"] as? Bool == true)
        #expect(object["format"] as? String == "rss2")
        let channel = try #require(object["feed"] as? [String: Any])
        #expect(channel["title"] as? String == "أخبار \"اليوم\"")
        #expect(channel["link"] as? String == "https://news.example/")
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries[0]["id"] as? String == "n-1")
        #expect(entries[0]["link"] as? String == "https://news.example/feed/a/1")
        #expect(entries[0]["published"] as? String == "2003-12-31T10:14:55Z")
        #expect(entries[0]["summary"] as? String == "<b>نص</b>")
        // The keys come in the contract's order.
        let text = String(decoding: output, as: UTF8.self)
        let order = ["\"well_formed\"", "\"format\"", "\"feed\"", "\"entries\""].compactMap {
            text.range(of: $0)?.lowerBound
        }
        #expect(order.count == 4 && order == order.sorted())
    }

    @Test func parseFeedReportsABrokenFeedAsNotWellFormed() throws {
        let (status, output) = try sift(
            ["parse-feed", "-"], input: Data("<rss><channel><item><title>a & b</title></item>".utf8))
        #expect(status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        #expect(object["well_formed"] as? Bool == false)
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(entries.first?["title"] as? String == "a & b")
    }

    @Test func dedupGroupsCopiesAndKeepsSingletons() throws {
        // A 240-word story, a copy with four words changed, and an unrelated story.
        var state: UInt64 = 7
        func words(_ count: Int) -> [String] {
            (0..<count).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return "كلمة\(state >> 54)"
            }
        }
        let story = words(240)
        var copy = story
        for index in [30, 90, 150, 210] { copy[index] = "تعديل" }
        let other = words(240)
        var lines: [String] = []
        for (id, text) in [("a", story), ("b", other), ("c", copy)] {
            let object = try JSONSerialization.data(withJSONObject: ["id": id, "text": text.joined(separator: " ")])
            lines.append(String(decoding: object, as: UTF8.self))
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sift-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("docs.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: input)
        let (status, output) = try sift(["dedup", "--input", input.path])
        #expect(status == 0)
        let clusters = try #require(try JSONSerialization.jsonObject(with: output) as? [[String]])
        #expect(Set(clusters.map { Set($0) }) == [["a", "c"], ["b"]])
    }

    @Test func aMissingInputIsAClearErrorWithAFailingStatus() throws {
        let (status, output) = try sift(["dedup", "--input", "/nonexistent/docs.jsonl"])
        #expect(status != 0)
        #expect(output.isEmpty)
    }
}
