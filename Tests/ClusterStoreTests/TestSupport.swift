import Foundation
import Logging
import Model
import Synchronization

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let root: String

    init() throws {
        root = NSTemporaryDirectory() + "sift-clusters-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// The data directory inside the root (not created).
    var data: String { root + "/data" }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// Collects log messages in memory.
final class RecordingLog: Sendable {
    private let storage = Mutex<[String]>([])

    var messages: [String] { storage.withLock { $0 } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(log: self) }
    }

    struct Handler: LogHandler {
        let log: RecordingLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            log.storage.withLock { $0.append("\(event.level) \(event.message)") }
        }
    }
}

let epoch = Date(timeIntervalSince1970: 1_700_000_000)

func member(_ id: String, at offset: Double, similarity: Double = 1, published: Date? = nil) -> ClusterMember {
    ClusterMember(
        documentID: id,
        url: "https://news.example/\(id)?a=1&b=\"q\"",
        feed: "https://news.example/feed",
        outlet: "News ✓",
        title: "Title \(id) — «quoted» \"x\"",
        published: published,
        fetched: epoch + offset,
        similarity: similarity
    )
}

func cluster(_ id: String, created offset: Double, members count: Int = 2) -> ClusterRecord {
    let members = (0..<count).map { index in
        member(index == 0 ? id : "\(id)-\(index)", at: offset + Double(index), similarity: index == 0 ? 1 : 0.75)
    }
    return ClusterRecord(
        id: id,
        created: epoch + offset,
        updated: epoch + offset + Double(count - 1),
        title: members[0].title,
        url: members[0].url,
        members: members
    )
}

func event(_ sequence: Int64, cluster: String = "c1", document: String = "d") -> ClusterEvent {
    ClusterEvent(
        sequence: sequence,
        kind: sequence == 1 ? .clusterCreated : .memberAdded,
        time: epoch + Double(sequence) + 0.125,
        clusterID: cluster,
        documentID: "\(document)\(sequence)",
        url: "https://news.example/\(document)\(sequence)",
        similarity: sequence == 1 ? 1 : 0.5 + 1 / Double(sequence + 2)
    )
}
