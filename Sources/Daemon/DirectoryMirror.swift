import ClusterStore
import Dispatch
import Foundation
import Logging
import Model
import StateStore
import Synchronization

/// Mirrors committed batches to the cluster directory on a serial queue of its own, so the
/// `fsync`s of the files do not hold up the next batch's decisions and commit.
///
/// The database is always written first; the directory follows in commit order. When a write
/// fails, the mirror reconciles from the database before the next batch (which then covers the
/// batches already queued: a batch whose events the log already has is skipped). At start-up
/// and after a crash, ``reconcile(feedTitle:feedItems:)`` brings the directory up to the
/// database.
final class DirectoryMirror: Sendable {
    /// A committed batch to mirror.
    struct Batch: Sendable {
        var articles: [(article: ExtractedArticle, documentID: String, url: String)]
        var clusterIDs: [String]
        var events: [ClusterEvent]
    }

    private let database: StateDatabase
    private let directory: ClusterDirectory
    private let logger: Logger
    private let queue = DispatchQueue(label: "sift.directory")
    /// Set when a directory write failed: reconcile before the next batch.
    private let behind = Mutex(false)
    /// The JSON Feed's title and length, used when reconciling.
    private let feedSettings: Mutex<(title: String, items: Int)>
    /// Articles of the batches queued and not yet written.
    private let queued = Mutex(0)

    init(database: StateDatabase, directory: ClusterDirectory, feedTitle: String, feedItems: Int, logger: Logger) {
        self.database = database
        self.directory = directory
        self.logger = logger
        self.feedSettings = Mutex((feedTitle, feedItems))
    }

    /// Queues a committed batch; returns at once.
    func enqueue(_ batch: Batch) {
        let count = batch.articles.count
        queued.withLock { $0 += count }
        queue.async {
            self.mirror(batch)
            self.queued.withLock { $0 -= count }
        }
    }

    /// The articles of the batches queued and not yet written (each holds its extracted text
    /// until then).
    var queuedArticles: Int { queued.withLock { $0 } }

    /// Waits until every queued batch is written.
    func drain() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { continuation.resume() }
        }
    }

    /// Rewrites the JSON Feed of the newest clusters, after the queued batches.
    func writeFeed(title: String, items: Int) async {
        feedSettings.withLock { $0 = (title, items) }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                do {
                    try self.directory.writeFeed(
                        clusters: try self.database.recentClusters(limit: items),
                        title: title,
                        limit: items
                    )
                } catch {
                    self.logger.error("feed write failed", metadata: ["error": "\(error)"])
                }
                continuation.resume()
            }
        }
    }

    private func mirror(_ batch: Batch) {
        do {
            if behind.withLock({ $0 }) {
                try reconcile()
                behind.withLock { $0 = false }
                return
            }
            // Already written by a reconciliation that ran after this batch was committed.
            if let last = batch.events.last, last.sequence <= (try directory.lastEventSequence()) { return }
            try directory.write(articles: batch.articles)
            var clusters: [ClusterRecord] = []
            for id in batch.clusterIDs {
                if let cluster = try database.cluster(id: id) { clusters.append(cluster) }
            }
            try directory.write(clusters: clusters)
            try directory.append(events: batch.events)
        } catch {
            // The database has the batch; the directory catches up by reconciliation.
            behind.withLock { $0 = true }
            logger.error(
                "cluster directory write failed; it will be reconciled",
                metadata: ["count": "\(batch.events.count)", "error": "\(error)"]
            )
        }
    }

    /// Appends the events the directory's log lacks, rewriting their article files and the
    /// clusters they touch first; writes any cluster file missing on disk.
    ///
    /// Call it only while no batch is being mirrored (at start-up, or on the mirror's queue).
    func reconcile() throws(DaemonError) {
        let (feedTitle, feedItems) = feedSettings.withLock { $0 }
        do {
            let databaseSequence = try database.lastEventSequence()
            let directorySequence = try directory.lastEventSequence()
            if directorySequence > databaseSequence {
                logger.error(
                    "cluster directory is ahead of the state database",
                    metadata: ["events.directory": "\(directorySequence)", "events.database": "\(databaseSequence)"]
                )
                return
            }
            var touched = Set<String>()
            var pending: [ClusterEvent] = []
            var after = directorySequence
            while after < databaseSequence {
                let batch = try database.events(after: after, limit: 10_000)
                guard let last = batch.last else { break }
                pending.append(contentsOf: batch)
                after = last.sequence
            }
            var articles: [(article: ExtractedArticle, documentID: String, url: String)] = []
            for event in pending {
                touched.insert(event.clusterID)
                if let article = try database.extractedArticle(documentID: event.documentID) {
                    articles.append((article, event.documentID, event.url))
                }
                if articles.count >= 256 {
                    try directory.write(articles: articles)
                    articles.removeAll(keepingCapacity: true)
                }
            }
            try directory.write(articles: articles)
            let onDisk = try directory.clusterIDsOnDisk()
            let all = try database.allClusters()
            try directory.write(clusters: all.filter { touched.contains($0.id) || !onDisk.contains($0.id) })
            if !pending.isEmpty {
                try directory.append(events: pending)
                try directory.writeFeed(
                    clusters: try database.recentClusters(limit: feedItems), title: feedTitle, limit: feedItems)
                logger.notice(
                    "cluster directory reconciled",
                    metadata: ["events": "\(pending.count)", "clusters": "\(touched.count)"]
                )
            }
        } catch let error as DaemonError {
            throw error
        } catch {
            throw .dataDirectory(path: "cluster directory", message: "reconcile failed: \(error)")
        }
    }
}
