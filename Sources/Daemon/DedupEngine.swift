import ClusterStore
import Clustering
import Fingerprint
import Foundation
import Logging
import Model
import StateStore

/// Serializes boilerplate filtering, fingerprinting, clustering, the state commit and the cluster
/// directory writes: the index and the filter are not `Sendable`, and the change log must be
/// appended in sequence order.
actor DedupEngine {
    struct Item: Sendable {
        var url: String
        var feedURL: String
        var outlet: String?
        var site: String
        var article: ExtractedArticle
        var fetched: Date
    }

    struct Outcome: Sendable {
        var clusterID: String
        var similarity: Double
        var isNewCluster: Bool
    }

    private let fingerprinter: Fingerprinter
    private let index: ClusterIndex
    private let filter: BoilerplateFilter
    private let database: StateDatabase
    private let directory: ClusterDirectory
    private let logger: Logger
    /// Articles in the index by fetch time, oldest first, for eviction after the retention window.
    private var indexed: [(fetched: Date, documentID: String)] = []
    private var retentionSeconds: Double
    /// Set when a directory write failed after a commit: reconcile before the next article.
    private var directoryBehind = false
    /// The JSON Feed's title and length (updated by ``writeFeed(title:items:)`` after a reload).
    private var feedTitle: String
    private var feedItems: Int

    init(
        fingerprint: FingerprintParameters,
        clustering: ClusteringParameters,
        database: StateDatabase,
        directory: ClusterDirectory,
        feedTitle: String,
        feedItems: Int,
        retentionDays: Int,
        logger: Logger
    ) throws {
        self.retentionSeconds = Double(retentionDays) * 86_400
        self.feedTitle = feedTitle
        self.feedItems = feedItems
        self.fingerprinter = try Fingerprinter(parameters: fingerprint)
        self.index = try ClusterIndex(parameters: clustering, signatureParameters: fingerprint.signatureParameters)
        self.filter = BoilerplateFilter()
        self.database = database
        self.directory = directory
        self.logger = logger
    }

    /// Rebuilds the index from the stored signatures (no re-decision), leaving out articles
    /// fetched before the retention window.
    func restore(now: Date = Date()) throws(DaemonError) {
        let started = ContinuousClock.now
        let stored: [(documentID: String, clusterID: String, signature: Signature)]
        var fetchedByID: [String: Date] = [:]
        do {
            stored = try database.signatures()
            for cluster in try database.allClusters() {
                for member in cluster.members {
                    fetchedByID[member.documentID] = member.fetched
                }
            }
        } catch {
            throw .state(path: "state.sqlite", message: "\(error)")
        }
        let cutoff = now.addingTimeInterval(-retentionSeconds)
        var incompatible = 0
        var expired = 0
        for entry in stored {
            let fetched = fetchedByID[entry.documentID] ?? now
            if fetched < cutoff {
                expired += 1
                continue
            }
            do {
                try index.restore(documentID: entry.documentID, signature: entry.signature, clusterID: entry.clusterID)
                indexed.append((fetched, entry.documentID))
            } catch {
                incompatible += 1
            }
        }
        indexed.sort { $0.fetched < $1.fetched }
        if expired > 0 {
            logger.info(
                "articles older than the retention window left out of the index",
                metadata: [
                    "count": "\(expired)"
                ])
        }
        if incompatible > 0 {
            logger.warning(
                "stored signatures skipped: fingerprint parameters changed",
                metadata: ["count": "\(incompatible)"]
            )
        }
        logger.info(
            "index restored",
            metadata: [
                "documents": "\(index.documentCount)",
                "duration_ms": "\(Int(Pipeline.seconds(ContinuousClock.now - started) * 1000))",
            ]
        )
    }

    /// Appends the events the directory's log lacks and rewrites the clusters they touch;
    /// writes any cluster file missing on disk.
    func reconcile() throws(DaemonError) {
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
            for event in pending {
                touched.insert(event.clusterID)
                if let text = try database.articleText(documentID: event.documentID) {
                    var article = ExtractedArticle(paragraphs: text.split(separator: "\n").map(String.init))
                    if let cluster = try database.cluster(id: event.clusterID),
                        let member = cluster.members.first(where: { $0.documentID == event.documentID })
                    {
                        article.title = member.title
                        article.published = member.published
                    }
                    try directory.write(article: article, documentID: event.documentID, url: event.url)
                }
            }
            let onDisk = try directory.clusterIDsOnDisk()
            let all = try database.allClusters()
            for cluster in all where touched.contains(cluster.id) || !onDisk.contains(cluster.id) {
                try directory.write(cluster: cluster)
            }
            if !pending.isEmpty {
                try directory.append(events: pending)
                try directory.writeFeed(
                    clusters: Self.newest(all, limit: feedItems), title: feedTitle, limit: feedItems)
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

    /// Dedups and commits one article; `nil` when its URL was committed meanwhile.
    func add(_ item: Item) throws -> Outcome? {
        if directoryBehind {
            try reconcile()
            directoryBehind = false
        }
        if try database.hasArticle(url: item.url) { return nil }
        let documentID = Self.documentID(for: item.url)
        let paragraphs = filter.filter(item.article.paragraphs, site: item.site)
        let signature = fingerprinter.signature(ofParagraphs: paragraphs)
        let assignment = try index.assign(documentID: documentID, signature: signature)
        let stored = StoredArticle(
            documentID: documentID,
            url: item.url,
            feedURL: item.feedURL,
            outlet: item.outlet,
            title: item.article.title,
            published: item.article.published,
            fetched: item.fetched,
            signature: signature,
            clusterID: assignment.clusterID,
            similarity: assignment.similarity,
            text: item.article.text
        )
        let events = try database.commit(article: stored, isNewCluster: assignment.isNewCluster, at: item.fetched)
        indexed.append((item.fetched, documentID))
        do {
            try directory.write(article: item.article, documentID: documentID, url: item.url)
            if let cluster = try database.cluster(id: assignment.clusterID) {
                try directory.write(cluster: cluster)
            }
            try directory.append(events: events)
        } catch {
            // The database has the article; the directory catches up by reconciliation.
            directoryBehind = true
            throw error
        }
        return Outcome(
            clusterID: assignment.clusterID,
            similarity: assignment.similarity,
            isNewCluster: assignment.isNewCluster
        )
    }

    /// Drops articles fetched before the retention window from the index (their clusters stay
    /// written and stored); they no longer match new articles.
    ///
    /// - Returns: How many were evicted.
    @discardableResult
    func evictExpired(now: Date = Date(), retentionDays: Int? = nil) -> Int {
        if let retentionDays { retentionSeconds = Double(retentionDays) * 86_400 }
        let cutoff = now.addingTimeInterval(-retentionSeconds)
        var count = 0
        while count < indexed.count, indexed[count].fetched < cutoff {
            index.evict(documentID: indexed[count].documentID)
            count += 1
        }
        indexed.removeFirst(count)
        return count
    }

    /// The number of articles in the index.
    var indexedCount: Int { index.documentCount }

    /// Rewrites the JSON Feed of the newest clusters.
    func writeFeed(title: String, items: Int) {
        feedTitle = title
        feedItems = items
        do {
            try directory.writeFeed(
                clusters: Self.newest(try database.allClusters(), limit: items),
                title: title,
                limit: items
            )
        } catch {
            logger.error("feed write failed", metadata: ["error": "\(error)"])
        }
    }

    static func newest(_ clusters: [ClusterRecord], limit: Int) -> [ClusterRecord] {
        Array(clusters.sorted { ($0.updated, $0.id) > ($1.updated, $1.id) }.prefix(limit))
    }

    /// The document id of an article: the first 16 hex digits of the xxh64 of its canonical URL.
    static func documentID(for url: String) -> String {
        let hex = String(StableHash.xxh64(url), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
