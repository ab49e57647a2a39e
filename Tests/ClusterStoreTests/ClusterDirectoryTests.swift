import ClusterStore
import Foundation
import Logging
import Model
import Synchronization
import Testing

struct ClusterDirectoryTests {
    @Test func aNewDirectoryGetsItsLayoutAndManifest() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let parameters = SignatureParameters(permutations: 128, seed: 42, shingleSize: 5, schemeVersion: 1)
        let directory = try ClusterDirectory(
            path: temporary.data, signatureParameters: parameters, logger: RecordingLog().logger)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: temporary.data + "/clusters", isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
        #expect(FileManager.default.fileExists(atPath: temporary.data + "/articles"))
        #expect(FileManager.default.fileExists(atPath: temporary.data + "/events.jsonl"))
        #expect(try directory.lastEventSequence() == 0)
        #expect(try directory.clusterIDsOnDisk().isEmpty)

        let manifest =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: temporary.data + "/manifest.json"))
            ) as? [String: Any]
        #expect(manifest?["format"] as? String == "sift-clusters")
        #expect(manifest?["version"] as? Int == 1)
        #expect(manifest?["generator"] as? String == "sift")
        #expect((manifest?["created"] as? String)?.hasSuffix("Z") == true)
        let recorded = manifest?["signature_parameters"] as? [String: Any]
        #expect(recorded?["permutations"] as? Int == 128)
        #expect(recorded?["shingle_size"] as? Int == 5)

        let reader = try ClusterDirectoryReader(path: temporary.data)
        #expect(try reader.manifestVersion() == 1)
        #expect(try reader.signatureParameters() == parameters)
        #expect(try reader.clusters().isEmpty)
        #expect(try reader.events(after: 0).isEmpty)
    }

    @Test func missingParentDirectoriesAreCreated() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let nested = temporary.root + "/a/b/data"
        _ = try ClusterDirectory(path: nested, logger: RecordingLog().logger)
        #expect(try ClusterDirectoryReader(path: nested).manifestVersion() == 1)
        // A path through a regular file fails with the failing call and path.
        #expect(FileManager.default.createFile(atPath: temporary.root + "/file", contents: Data()))
        #expect {
            _ = try ClusterDirectory(path: temporary.root + "/file/data", logger: RecordingLog().logger)
        } throws: { error in
            guard case .io(let path, let operation, _) = error as? ClusterStoreError else { return false }
            return operation == "mkdir" && path.hasSuffix("/file/data")
        }
    }

    @Test func clustersRoundTripThroughTheReader() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
        var later = cluster("b-2", created: 100.25, members: 3)
        later.members[2].published = epoch - 86_400.5
        var untitled = cluster("a_1", created: 100.25, members: 1)
        untitled.title = nil
        untitled.members[0].title = nil
        untitled.members[0].outlet = nil
        untitled.members[0].feed = nil
        let first = cluster("z.9", created: -5, members: 2)
        try directory.write(cluster: later)
        try directory.write(clusters: [untitled, first])

        let reader = try ClusterDirectoryReader(path: temporary.data)
        #expect(try reader.clusters() == [first, untitled, later])
        #expect(try reader.cluster(id: "b-2") == later)
        #expect(try reader.cluster(id: "missing") == nil)
        #expect(try directory.clusterIDsOnDisk() == ["b-2", "a_1", "z.9"])

        // Rewriting replaces the file.
        later.members.append(member("b-2-3", at: 200, similarity: 0.6))
        later.updated = epoch + 200
        try directory.write(cluster: later)
        #expect(try reader.cluster(id: "b-2") == later)

        // Keys are snake_case; absent values are omitted.
        let text = try String(contentsOfFile: temporary.data + "/clusters/a_1.json", encoding: .utf8)
        #expect(text.contains("\"document_id\""))
        #expect(!text.contains("\"title\""))
        #expect(!text.contains("null"))
        #expect(text.contains("\"created\" : \"2023-11-14T22:15:00.250Z\""))
    }

    @Test func articlesAreWrittenWithSnakeCaseKeys() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
        let article = ExtractedArticle(
            title: "Headline",
            author: "A. Writer",
            published: epoch,
            language: "ar",
            canonicalURL: "https://news.example/canonical",
            paragraphs: ["First paragraph.", "مرحبا بالعالم"]
        )
        try directory.write(article: article, documentID: "doc1", url: "https://news.example/doc1")
        let object =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: temporary.data + "/articles/doc1.json"))
            ) as? [String: Any]
        #expect(object?["document_id"] as? String == "doc1")
        #expect(object?["url"] as? String == "https://news.example/doc1")
        #expect(object?["canonical_url"] as? String == "https://news.example/canonical")
        #expect(object?["published"] as? String == "2023-11-14T22:13:20Z")
        #expect(object?["language"] as? String == "ar")
        #expect(object?["author"] as? String == "A. Writer")
        #expect(object?["paragraphs"] as? [String] == article.paragraphs)
        #expect(object?["text"] as? String == "First paragraph.\nمرحبا بالعالم")
        #expect(throws: ClusterStoreError.self) {
            try directory.write(article: article, documentID: "../escape", url: "https://x.example/")
        }
    }

    @Test func aBatchOfArticlesIsWrittenWholeWithNoTemporaryFileLeft() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
        // More than one group of open files.
        let batch = (0..<150).map { index in
            (
                article: ExtractedArticle(title: "Story \(index)", paragraphs: ["Paragraph of story \(index)."]),
                documentID: "doc\(index)",
                url: "https://news.example/\(index)"
            )
        }
        try directory.write(articles: batch)
        let names = try FileManager.default.contentsOfDirectory(atPath: temporary.data + "/articles")
        #expect(names.count == 150)
        #expect(!names.contains { $0.hasPrefix(".") })
        let object =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: temporary.data + "/articles/doc149.json"))
            ) as? [String: Any]
        #expect(object?["title"] as? String == "Story 149")
        #expect(object?["url"] as? String == "https://news.example/149")

        // One unsafe id refuses the whole batch before anything is written.
        let bad = [batch[0], (article: batch[1].article, documentID: "../escape", url: "https://x.example/")]
        #expect(throws: ClusterStoreError.self) { try directory.write(articles: bad) }
        try directory.write(articles: [])
    }

    @Test func unsafeIdentifiersAreRefused() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
        for id in ["../x", "a/b", ".hidden", "", String(repeating: "a", count: 201), "sp ace"] {
            #expect(throws: ClusterStoreError.self) { try directory.write(cluster: cluster(id, created: 0)) }
        }
        #expect(try directory.clusterIDsOnDisk().isEmpty)
    }

    @Test func eventsAppendReadBackAndSurviveReopening() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let events = (1...5).map { event($0) }
        do {
            let directory = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
            try directory.append(events: Array(events[0..<2]))
            try directory.append(events: [])
            try directory.append(events: Array(events[2...]))
            #expect(try directory.lastEventSequence() == 5)
        }
        let reopened = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
        #expect(try reopened.lastEventSequence() == 5)
        let reader = try ClusterDirectoryReader(path: temporary.data)
        #expect(try reader.events(after: 0) == events)
        #expect(try reader.events(after: 3) == Array(events[3...]))
        #expect(try reader.events(after: 5).isEmpty)

        let lines = try String(contentsOfFile: temporary.data + "/events.jsonl", encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("{\"seq\":1,\"type\":\"cluster.created\",\"time\":\"2023-11-14T22:13:21.125Z\""))
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(
                Set(object?.keys.map { $0 } ?? []) == [
                    "seq", "type", "time", "cluster_id", "document_id", "url", "similarity",
                ])
        }
    }

    @Test func appendsMustContinueTheSequence() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
        #expect {
            try directory.append(events: [event(2)])
        } throws: { error in
            guard case .notContiguous(_, let expected, let found) = error as? ClusterStoreError else { return false }
            return expected == 1 && found == 2
        }
        try directory.append(events: [event(1), event(2)])
        #expect(throws: ClusterStoreError.self) { try directory.append(events: [event(2)]) }
        #expect(throws: ClusterStoreError.self) { try directory.append(events: [event(4)]) }
        // A gap inside a batch rejects the whole batch.
        #expect(throws: ClusterStoreError.self) { try directory.append(events: [event(3), event(5)]) }
        #expect(try directory.lastEventSequence() == 2)
        try directory.append(events: [event(3)])
        let reader = try ClusterDirectoryReader(path: temporary.data)
        #expect(try reader.events(after: 0).map(\.sequence) == [1, 2, 3])
    }

    @Test(arguments: [
        "{\"seq\":4,\"type\":\"member.ad",
        "\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}",
        "{\"seq\":4,\"type\":\"member.added\"",
        "garbage line\n\u{0}\u{0}",
    ])
    func aTornLastLineIsTruncatedOnOpen(tail: String) throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let events = (1...3).map { event($0) }
        do {
            let directory = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
            try directory.append(events: events)
        }
        let path = temporary.data + "/events.jsonl"
        let intact = try Data(contentsOf: URL(fileURLWithPath: path))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(tail.utf8))
        handle.closeFile()

        // A reader ignores an incomplete last line.
        if !tail.contains("\n") {
            #expect(try ClusterDirectoryReader(path: temporary.data).events(after: 0) == events)
        }

        let log = RecordingLog()
        let directory = try ClusterDirectory(path: temporary.data, logger: log.logger)
        #expect(try directory.lastEventSequence() == 3)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == intact)
        #expect(log.messages.contains { $0.contains("truncated") })
        try directory.append(events: [event(4)])
        #expect(try ClusterDirectoryReader(path: temporary.data).events(after: 0) == events + [event(4)])
    }

    @Test func aLogOfOnlyATornLineStartsAgainFromOne() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        try FileManager.default.createDirectory(atPath: temporary.data, withIntermediateDirectories: true)
        _ = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
        try Data("{\"seq\":1,\"ty".utf8).write(to: URL(fileURLWithPath: temporary.data + "/events.jsonl"))
        let directory = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
        #expect(try directory.lastEventSequence() == 0)
        try directory.append(events: [event(1)])
        #expect(try ClusterDirectoryReader(path: temporary.data).events(after: 0) == [event(1)])
    }

    @Test func aLongLogFindsItsLastSequenceFromTheEnd() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        do {
            let directory = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
            // About 200 KB: the tail scan reads several chunks backwards.
            try directory.append(events: (1...1200).map { event($0, document: String(repeating: "d", count: 60)) })
        }
        let handle = try #require(FileHandle(forWritingAtPath: temporary.data + "/events.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data(String(repeating: "x", count: 70_000).utf8))
        handle.closeFile()
        let directory = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
        #expect(try directory.lastEventSequence() == 1200)
        try directory.append(events: [event(1201)])
        #expect(try ClusterDirectoryReader(path: temporary.data).events(after: 1199).map(\.sequence) == [1200, 1201])
    }

    @Test func theLockKeepsASecondWriterOut() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        do {
            let first = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
            #expect {
                _ = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
            } throws: { error in
                guard case .locked = error as? ClusterStoreError else { return false }
                return true
            }
            // Readers take no lock.
            #expect(try ClusterDirectoryReader(path: temporary.data).manifestVersion() == 1)
            #expect(try first.lastEventSequence() == 0)
        }
        // Released with the first writer.
        _ = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
    }

    @Test(arguments: [
        ("{\"format\": \"sift-clusters\", \"version\": 2}", "version"),
        ("{\"format\": \"other-format\", \"version\": 1}", "format"),
        ("{\"format\": \"sift-clusters\"", "corrupt"),
    ])
    func anUnknownOrNewerFormatIsRefusedUntouched(manifest: String, expected: String) throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        try FileManager.default.createDirectory(atPath: temporary.data, withIntermediateDirectories: true)
        let path = temporary.data + "/manifest.json"
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: path))
        let matches: (any Error) -> Bool = { error in
            switch (error as? ClusterStoreError, expected) {
            case (.unsupportedVersion(_, let found, let supported)?, "version"): return found == 2 && supported == 1
            case (.unknownFormat?, "format"), (.corrupt?, "corrupt"): return true
            default: return false
            }
        }
        #expect(
            performing: { _ = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger) },
            throws: matches)
        #expect(performing: { _ = try ClusterDirectoryReader(path: temporary.data) }, throws: matches)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == manifest)
        #expect(!FileManager.default.fileExists(atPath: temporary.data + "/clusters"))
        #expect(!FileManager.default.fileExists(atPath: temporary.data + "/events.jsonl"))
    }

    @Test func aDirectoryWithoutManifestIsNotReadable() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        #expect(throws: ClusterStoreError.self) { try ClusterDirectoryReader(path: temporary.root) }
    }

    @Test func temporaryFilesLeftByACrashAreRemovedOnOpen() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        _ = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
        let stale = temporary.data + "/clusters/.c1.json.123.abc.tmp"
        try Data("{\"id\":".utf8).write(to: URL(fileURLWithPath: stale))
        let directory = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(try directory.clusterIDsOnDisk().isEmpty)
    }

    @Test func aReaderNeverSeesAPartialFileWhileTheWriterReplacesIt() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
        let small = cluster("story", created: 0, members: 1)
        let large = cluster("story", created: 0, members: 400)
        try directory.write(cluster: small)
        let reader = try ClusterDirectoryReader(path: temporary.data)

        // The writer runs on its own thread, alternating a 1-member and a 400-member file.
        let progress = WriterProgress()
        let thread = Thread {
            for round in 1...150 {
                do {
                    try directory.write(cluster: round.isMultiple(of: 2) ? small : large)
                } catch {
                    progress.fail("\(error)")
                }
            }
            progress.finish()
        }
        thread.start()
        var reads = 0
        var sizes = Set<Int>()
        while !progress.isFinished && reads < 100_000 {
            let record = try #require(try reader.cluster(id: "story"))
            sizes.insert(record.members.count)
            reads += 1
        }
        while !progress.isFinished {
            usleep(1000)
        }
        #expect(progress.failure == nil)
        #expect(sizes.isSubset(of: [1, 400]))
        #expect(reads > 0)
        #expect(try reader.cluster(id: "story")?.members.count == 1)
    }

    @Test func theFeedIsAJSONFeedOfTheNewestClusters() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = try ClusterDirectory(path: temporary.data, logger: RecordingLog().logger)
        let clusters = [
            cluster("old", created: 0), cluster("new", created: 500, members: 3), cluster("mid", created: 100),
        ]
        try directory.writeFeed(clusters: clusters, title: "Sift", limit: 2)
        let feed =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: temporary.data + "/feed.json"))
            ) as? [String: Any]
        #expect(feed?["version"] as? String == "https://jsonfeed.org/version/1.1")
        #expect(feed?["title"] as? String == "Sift")
        let items = try #require(feed?["items"] as? [[String: Any]])
        #expect(items.map { $0["id"] as? String } == ["new", "mid"])
        #expect(items[0]["url"] as? String == clusters[1].url)
        #expect(items[0]["title"] as? String == clusters[1].title)
        #expect((items[0]["content_text"] as? String)?.hasPrefix("3 articles:") == true)
        #expect(items[0]["date_published"] as? String == "2023-11-14T22:21:40Z")
        #expect(items[0]["date_modified"] as? String == "2023-11-14T22:21:42Z")
        let sift = items[0]["_sift"] as? [String: Any]
        #expect(sift?["size"] as? Int == 3)
        #expect((sift?["members"] as? [[String: Any]])?.count == 3)
    }
}

/// The writer thread's state, shared with the reading test.
private final class WriterProgress: Sendable {
    private let state = Mutex<(finished: Bool, failure: String?)>((false, nil))

    var isFinished: Bool { state.withLock { $0.finished } }
    var failure: String? { state.withLock { $0.failure } }

    func finish() { state.withLock { $0.finished = true } }
    func fail(_ message: String) { state.withLock { $0.failure = message } }
}
