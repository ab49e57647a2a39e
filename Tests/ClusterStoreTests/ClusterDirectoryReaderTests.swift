import ClusterStore
import Foundation
import Model
import Testing

struct ClusterDirectoryReaderTests {
    /// A directory with three events written by the writer, returned with the log's path.
    private func directoryWithEvents(_ temporary: TemporaryDirectory) throws -> String {
        let directory = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
        try directory.append(events: (1...3).map { event($0) })
        return temporary.data + "/events.jsonl"
    }

    @Test func eventsAfterASequenceSkipOlderLines() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        _ = try directoryWithEvents(temporary)
        let reader = try ClusterDirectoryReader(path: temporary.data)
        for after in Int64(0)...4 {
            #expect(try reader.events(after: after).map(\.sequence) == (Int64(1)...3).filter { $0 > after })
        }
    }

    @Test func linesInAnotherKeyOrderAreRead() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let path = try directoryWithEvents(temporary)
        let line =
            "{ \"url\": \"https://x.example/4\", \"similarity\": 0.5, \"type\": \"member.added\", "
            + "\"time\": \"2023-11-14T22:13:24Z\", \"document_id\": \"d4\", \"cluster_id\": \"c1\", \"seq\": 4 }\n"
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(line.utf8))
        handle.closeFile()
        let events = try ClusterDirectoryReader(path: temporary.data).events(after: 2)
        #expect(events.map(\.sequence) == [3, 4])
        #expect(events.last?.url == "https://x.example/4")
        #expect(events.last?.time == epoch + 4)
    }

    @Test func aBadCompleteLineIsReportedAsCorrupt() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let path = try directoryWithEvents(temporary)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(
            of: "\"seq\":2,\"type\":\"member.added\"", with: "\"seq\":2,\"type\":\"bogus\"")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try ClusterDirectoryReader(path: temporary.data).events(after: 0)
        } throws: { error in
            guard case .corrupt = error as? ClusterStoreError else { return false }
            return true
        }
        try Data((text + "{not json}\n").utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ClusterStoreError.self) { try ClusterDirectoryReader(path: temporary.data).events(after: 0) }
    }

    @Test func aClusterFileThatIsNotAClusterIsReportedAsCorrupt() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        _ = try directoryWithEvents(temporary)
        try Data("{\"id\": \"x\"}".utf8).write(to: URL(fileURLWithPath: temporary.data + "/clusters/x.json"))
        let reader = try ClusterDirectoryReader(path: temporary.data)
        #expect(throws: ClusterStoreError.self) { try reader.clusters() }
        #expect(throws: ClusterStoreError.self) { try reader.cluster(id: "x") }
    }
}
